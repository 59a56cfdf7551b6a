package io.shardwire.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardwire.config.QueueConfig.Fsync;
import io.shardwire.config.ServerConfig.AuthPlugin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading files and YAML text: the happy paths, defaults, path resolution and YAML-level errors. */
class ConfigLoaderTest {

    @TempDir
    Path tempDir;

    @Test
    void loadsEveryKeyOfAFullFile() throws IOException {
        Path file = copyResource("full.yaml", tempDir.resolve("conf/shardwire.yaml"));

        ShardwireConfig config = ConfigLoader.load(file);

        Path dir = tempDir.toAbsolutePath();
        ShardwireConfig expected = new ShardwireConfig(
                file.toString(),
                new ServerConfig("0.0.0.0", 4407, 8080, dir.resolve("state"), AuthPlugin.CACHING_SHA2_PASSWORD, 200,
                        List.of(new UserConfig("app", "123456", Set.of("shop", "crm"), false),
                                new UserConfig("admin", "", Set.of(), true))),
                List.of(new ShardGroupConfig("g0", new DataSourceConfig("db0.internal", 3310, "shardwire", "s0"),
                                List.of(), new PoolConfig(8, 250)),
                        new ShardGroupConfig("g1", new DataSourceConfig("127.0.0.1", 3320, "shardwire", ""),
                                List.of(new DataSourceConfig("127.0.0.1", 3321, "reader", "r1"),
                                        new DataSourceConfig("127.0.0.2", 3321, "reader", "r2")),
                                PoolConfig.DEFAULT)),
                List.of(new SchemaConfig("shop", "g0", Map.of(
                                "orders", new TableConfig("orders", "g1"),
                                "order_items", new TableConfig("order_items", "g0"))),
                        new SchemaConfig("crm", "g1", Map.of())),
                new CdcConfig(true, "cdc", "cdc_secret", 7000),
                new QueueConfig(Path.of("/var/lib/shardwire/queue"), 1_048_576, Fsync.INTERVAL, 200, -1, 10_485_760));
        assertThat(config).isEqualTo(expected);
        assertThat(List.copyOf(config.schema("shop").orElseThrow().tables().keySet()))
                .containsExactly("orders", "order_items");
        assertThat(config.schema("shop").orElseThrow().shardGroupOf("customers")).isEqualTo("g0");
    }

    @Test
    void parseAppliesEveryDefaultAndResolvesAgainstTheCurrentDirectory() {
        ShardwireConfig config = ConfigLoader.parse(resource("minimal.yaml"), "<inline>");

        Path dataDir = Path.of("").toAbsolutePath().resolve("shardwire-data");
        ShardwireConfig expected = new ShardwireConfig(
                "<inline>",
                new ServerConfig("127.0.0.1", 3307, 9066, dataDir, AuthPlugin.MYSQL_NATIVE_PASSWORD, 1024,
                        List.of(new UserConfig("app", "app", Set.of(), false))),
                List.of(new ShardGroupConfig("g0", new DataSourceConfig("127.0.0.1", 3310, "shardwire", ""),
                        List.of(), PoolConfig.DEFAULT)),
                List.of(new SchemaConfig("shop", "g0", Map.of())),
                new CdcConfig(false, "shardwire_cdc", "shardwire_cdc", 5400),
                new QueueConfig(dataDir.resolve("queue"), 134_217_728, Fsync.BATCH, 1000, 168, -1));
        assertThat(config).isEqualTo(expected);
    }

    @Test
    void loadResolvesDefaultDirectoriesAgainstTheFilesDirectory() throws IOException {
        Path file = copyResource("minimal.yaml", tempDir.resolve("etc/shardwire.yaml"));

        ShardwireConfig config = ConfigLoader.load(file);

        Path dataDir = tempDir.toAbsolutePath().resolve("etc/shardwire-data");
        assertThat(config.dataDir()).isEqualTo(dataDir);
        assertThat(config.queue().dataDir()).isEqualTo(dataDir.resolve("queue"));
    }

    @Test
    void relativeQueueDirectoryResolvesLikeServerDataDir() throws IOException {
        Path file = tempDir.resolve("shardwire.yaml");
        Files.writeString(file, resource("minimal.yaml") + "queue: {dataDir: ./q}\n");

        assertThat(ConfigLoader.load(file).queue().dataDir()).isEqualTo(tempDir.toAbsolutePath().resolve("q"));
    }

    @Test
    void missingFileNamesThePathAsGiven() {
        Path missing = tempDir.resolve("nope.yaml");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(missing));

        assertThat(e).hasMessage(missing + ": file not found");
        assertThat(e.source()).isEqualTo(missing.toString());
        assertThat(e.path()).isEmpty();
        assertThat(e.reason()).isEqualTo("file not found");
    }

    @Test
    void yamlSyntaxErrorGivesLineAndColumn() {
        String yaml = """
                server:
                  port: 3307
                 host: x
                """;

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "shardwire.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("shardwire.yaml: invalid YAML at line 3, column 2: while parsing a block mapping, "
                        + "expected <block end>, but found '<block mapping start>'");
    }

    @Test
    void syntaxErrorInAFileNamesTheFile() throws IOException {
        Path file = tempDir.resolve("bad.yaml");
        Files.writeString(file, "server: {port: 3307\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .hasMessage(file + ": invalid YAML at line 2, column 1: while parsing a flow mapping, "
                        + "expected ',' or '}', but got <stream end>");
    }

    @Test
    void duplicateKeyIsAYamlError() {
        String yaml = """
                server:
                  port: 3307
                  users: []
                  port: 3308
                """;

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "shardwire.yaml"))
                .hasMessage("shardwire.yaml: invalid YAML at line 4, column 3: "
                        + "while constructing a mapping, found duplicate key port");
    }

    @Test
    void emptyDocumentIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.parse("# nothing but a comment\n", "shardwire.yaml"))
                .hasMessage("shardwire.yaml: empty configuration");
    }

    @Test
    void topLevelMustBeAMapping() {
        assertThatThrownBy(() -> ConfigLoader.parse("- server\n", "shardwire.yaml"))
                .hasMessage("shardwire.yaml: must be a mapping, got a list");
    }

    @Test
    void unquotedScalarsKeepTheirTextWhereAStringBelongs() {
        String yaml = resource("minimal.yaml").replace("""
                    - name: app
                      password: app
                """, """
                    - name: 2024
                      password: 0123
                    - name: u2
                      password: yes
                    - name: u3
                      password: true
                """);

        List<UserConfig> users = ConfigLoader.parse(yaml, "t").server().users();

        assertThat(users).extracting(UserConfig::name).containsExactly("2024", "u2", "u3");
        assertThat(users).extracting(UserConfig::password).containsExactly("0123", "yes", "true");
    }

    @Test
    void bridgesTakeTheirDefaultsAndAQuota() {
        String yaml = resource("minimal.yaml") + "queue:\n  diskQuotaBytes: 1073741824\n  bridges:\n"
                + "    kafka: {bootstrapServers: 'k1:9092,k2:9092', properties: {security.protocol: SSL}}\n"
                + "    rabbitmq: {host: mq, exchange: changes}\n";

        QueueConfig queue = ConfigLoader.parse(yaml, "t").queue();

        assertThat(queue.diskQuotaBytes()).isEqualTo(1L << 30);
        assertThat(queue.bridges().kafka()).contains(new KafkaBridgeConfig("k1:9092,k2:9092", "shardwire.", 1,
                "shardwire-bridge-kafka", "shardwire-bridge-offsets", "shardwire-bridge-kafka",
                Map.of("security.protocol", "SSL")));
        assertThat(queue.bridges().rabbitmq()).contains(new RabbitMqBridgeConfig("mq", 5672, "guest", "guest", "/",
                "changes", "shardwire-bridge-rabbitmq"));
        assertThat(ConfigLoader.parse(resource("minimal.yaml"), "t").queue().bridges()).isEqualTo(BridgesConfig.NONE);
    }

    @Test
    void enumValuesAreCaseInsensitive() {
        String yaml = resource("minimal.yaml").replace("server:\n", "server:\n  authPlugin: Caching_SHA2_Password\n")
                + "queue: {fsync: NEVER}\n";

        ShardwireConfig config = ConfigLoader.parse(yaml, "t");

        assertThat(config.server().authPlugin()).isEqualTo(AuthPlugin.CACHING_SHA2_PASSWORD);
        assertThat(config.queue().fsync()).isEqualTo(Fsync.NEVER);
    }

    @Test
    void cdcKeyPartitioningIsAnOption() {
        ShardwireConfig config = ConfigLoader.parse(resource("minimal.yaml")
                + "cdc: {enabled: true, partitioning: key, keyPartitions: 8}\n", "t");

        assertThat(config.cdc().partitioning()).isEqualTo(CdcConfig.Partitioning.KEY);
        assertThat(config.cdc().keyPartitions()).isEqualTo(8);
        assertThat(ConfigLoader.parse(resource("minimal.yaml"), "t").cdc().partitioning())
                .isEqualTo(CdcConfig.Partitioning.GROUP);
    }

    @Test
    void cdcReplicaAckTimeoutDefaultsToSemiSyncsAndZeroTurnsTheWaitOff() {
        assertThat(ConfigLoader.parse(resource("minimal.yaml"), "t").cdc().replicaAckTimeoutMs()).isEqualTo(10_000);
        assertThat(ConfigLoader.parse(resource("minimal.yaml") + "cdc: {replicaAckTimeoutMs: 0}\n", "t").cdc()
                .replicaAckTimeoutMs()).isZero();
    }

    @Test
    void anchorsAndMergeKeysShareDataSourceSettings() {
        String yaml = """
                server:
                  users: [{name: app, password: app}]
                shardGroups:
                  - name: g0
                    primary: &backend {host: db, port: 3310, user: sw, password: pw}
                  - name: g1
                    primary: {<<: *backend, port: 3320}
                schemas: [{name: shop, defaultShardGroup: g0}]
                """;

        ShardwireConfig config = ConfigLoader.parse(yaml, "t");

        assertThat(config.shardGroup("g1").orElseThrow().primary())
                .isEqualTo(new DataSourceConfig("db", 3320, "sw", "pw"));
    }

    private Path copyResource(String name, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        return Files.writeString(target, resource(name));
    }

    static String resource(String name) {
        try {
            return Files.readString(Path.of(ConfigLoaderTest.class.getResource("/" + name).toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
