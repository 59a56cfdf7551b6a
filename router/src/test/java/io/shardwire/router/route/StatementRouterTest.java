package io.shardwire.router.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.config.CdcConfig;
import io.shardwire.router.ShopConfig;
import io.shardwire.config.DataSourceConfig;
import io.shardwire.config.PoolConfig;
import io.shardwire.config.QueueConfig;
import io.shardwire.config.SchemaConfig;
import io.shardwire.config.ServerConfig;
import io.shardwire.config.ShardGroupConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.config.TableConfig;
import io.shardwire.config.UserConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatementRouterTest {

    private static ShardGroupConfig group(String name, int port) {
        return new ShardGroupConfig(name, new DataSourceConfig("127.0.0.1", port, "u", "p"), List.of(), PoolConfig.DEFAULT);
    }

    private static final ShardwireConfig CONFIG = new ShardwireConfig(
            "<test>",
            new ServerConfig("127.0.0.1", 3307, 9066, Path.of("data"), ServerConfig.AuthPlugin.MYSQL_NATIVE_PASSWORD, 10,
                    List.of(new UserConfig("app", "app", Set.of("shop"), false))),
            List.of(group("g0", 4000), group("g1", 4001)),
            List.of(new SchemaConfig("shop", "g0", Map.of("archive", new TableConfig("archive", "g1"))),
                    new SchemaConfig("crm", "g1", Map.of())),
            new CdcConfig(false, "cdc", "cdc", 5400),
            new QueueConfig(Path.of("data/queue"), 1 << 27, QueueConfig.Fsync.BATCH, 1000, 168, -1));

    private final StatementRouter router = new StatementRouter(CONFIG);

    @Test
    void tablesWithoutPlacementGoToTheSchemaDefaultGroup() throws Exception {
        assertThat(router.route("SELECT * FROM orders o JOIN customers c ON o.cid = c.id", "shop"))
                .isEqualTo(new Route.ToShardGroup("g0", Set.of("shop")));
    }

    @Test
    void aTableWithItsOwnPlacementGoesToItsGroup() throws Exception {
        assertThat(router.route("UPDATE `archive` SET x = 1 WHERE id = 2", "shop"))
                .isEqualTo(new Route.ToShardGroup("g1", Set.of("shop")));
    }

    @Test
    void aQualifiedTableRoutesByItsOwnSchemaWhateverTheSessionSchema() throws Exception {
        assertThat(router.route("SELECT * FROM `crm`.`contacts`", "shop"))
                .isEqualTo(new Route.ToShardGroup("g1", Set.of("crm")));
        assertThat(router.route("INSERT INTO shop.orders VALUES (1)", null))
                .isEqualTo(new Route.ToShardGroup("g0", Set.of("shop")));
    }

    @Test
    void tablesInSubqueriesCount() throws Exception {
        assertThatThrownBy(() -> router.route("SELECT * FROM orders WHERE id IN (SELECT order_id FROM archive)", "shop"))
                .isInstanceOfSatisfying(RouteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RouteException.Kind.CROSS_SHARD_GROUP);
                    assertThat(e.getMessage()).isEqualTo("statement spans shard groups (shop.orders on g0, shop.archive on g1);"
                            + " cross-group statements are not supported yet");
                });
    }

    @Test
    void cteNamesAreNotTables() throws Exception {
        assertThat(router.route("WITH recent AS (SELECT * FROM archive) SELECT * FROM recent", "shop"))
                .isEqualTo(new Route.ToShardGroup("g1", Set.of("shop")));
    }

    @Test
    void statementsWithoutTablesGoToTheCurrentSchemaDefaultOrTheFirstGroup() throws Exception {
        assertThat(router.route("SELECT @@version_comment LIMIT 1", "crm")).isEqualTo(new Route.ToShardGroup("g1", Set.of("crm")));
        assertThat(router.route("SELECT 1", null)).isEqualTo(new Route.ToShardGroup("g0", Set.of()));
    }

    @Test
    void unparseableStatementsPassToTheCurrentSchemaDefaultGroup() throws Exception {
        assertThat(router.route("SELEKT nonsense", "crm")).isEqualTo(new Route.ToShardGroup("g1", Set.of("crm")));
    }

    @Test
    void statementsWhoseTablesJSqlParserCannotListGoToTheDefaultGroup() throws Exception {
        assertThat(router.route("SHOW TABLES", "crm")).isEqualTo(new Route.ToShardGroup("g1", Set.of("crm")));
    }

    @Test
    void serverSchemasDoNotNeedConfiguration() throws Exception {
        assertThat(router.route("SELECT table_name FROM information_schema.tables", "crm"))
                .isEqualTo(new Route.ToShardGroup("g1", Set.of("crm")));
    }

    @Test
    void unknownSchemaAndMissingSchemaAreRefused() {
        assertThatThrownBy(() -> router.route("SELECT * FROM mysql.user", "shop"))
                .isInstanceOfSatisfying(RouteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RouteException.Kind.UNKNOWN_SCHEMA);
                    assertThat(e.subject()).isEqualTo("mysql");
                });
        assertThatThrownBy(() -> router.route("SELECT * FROM orders", null))
                .isInstanceOfSatisfying(RouteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RouteException.Kind.NO_SCHEMA_SELECTED);
                    assertThat(e.getMessage()).isEqualTo("No database selected for table 'orders'");
                });
    }

    @Test
    void useAndShowDatabasesAreAnsweredByTheProxy() throws Exception {
        assertThat(router.route("USE `crm`", null)).isEqualTo(new Route.UseSchema("crm"));
        assertThat(router.route("show databases", "shop")).isEqualTo(new Route.ShowSchemas());
    }

    @Test
    void tablesSpreadOverDataNodesAreLeftToThePlanner() {
        StatementRouter sharded = new StatementRouter(ShopConfig.CONFIG);
        assertThatThrownBy(() -> sharded.route("SELECT * FROM orders WHERE customer_id = 1", "shop"))
                .isInstanceOfSatisfying(RouteException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RouteException.Kind.CROSS_SHARD_GROUP);
                    assertThat(e.getMessage()).isEqualTo("table shop.orders is sharded over data nodes; "
                            + "statements on it need the sharding planner");
                });
        assertThatThrownBy(() -> sharded.route("SELECT * FROM audit", "shop")).isInstanceOf(RouteException.class);
    }

    @Test
    void wholeTablesStillRouteInAShardedSchema() throws Exception {
        StatementRouter sharded = new StatementRouter(ShopConfig.CONFIG);
        assertThat(sharded.route("SELECT * FROM archive", "shop")).isEqualTo(new Route.ToShardGroup("g1", Set.of("shop")));
        assertThat(sharded.route("SELECT * FROM unlisted", "shop")).isEqualTo(new Route.ToShardGroup("g0", Set.of("shop")));
    }
}
