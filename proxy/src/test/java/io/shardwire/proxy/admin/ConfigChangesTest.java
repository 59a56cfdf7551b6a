package io.shardwire.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.config.ConfigLoader;
import io.shardwire.config.ShardwireConfig;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {

    private static final String BASE = """
            server:
              port: 3307
              users:
                - {name: app, password: app, schemas: [shop]}
                - {name: admin, password: admin, admin: true}
            shardGroups:
              - name: g0
                primary: {port: 3310, user: u}
              - name: g1
                primary: {port: 3320, user: u}
            schemas:
              - name: shop
                defaultShardGroup: g0
                dataNodes: {shop_0: g0, shop_1: g1}
                tables:
                  t: {kind: sharded, shardKey: id, algorithm: {type: hash}}
            cdc: {enabled: %s}
            monitoring: {slowQueryMs: 1000}
            """;

    @Test
    void nothingChangedIsNoChange() {
        assertThat(ConfigChanges.between(config(BASE, false), config(BASE, false))).isEmpty();
    }

    @Test
    void usersSchemasRouterLimitsAndTheSlowQueryThresholdApplyLive() {
        String next = BASE.replace("{name: app, password: app, schemas: [shop]}", "{name: app, password: new, schemas: [shop]}")
                .replace("- {name: admin, password: admin, admin: true}", "- {name: ops, password: ops, admin: true}")
                .replace("algorithm: {type: hash}", "algorithm: {type: mod}")
                .replace("slowQueryMs: 1000", "slowQueryMs: 50")
                + "router: {maxMemoryMergeRows: 5, textPlanCacheSize: 0}\n";

        assertThat(ConfigChanges.between(config(BASE, false), config(next, false))).containsExactly(
                new ConfigChange("server.users.app", "changed", true),
                new ConfigChange("server.users.admin", "removed", true),
                new ConfigChange("server.users.ops", "added", true),
                new ConfigChange("schemas.shop", "changed", true),
                new ConfigChange("router.maxMemoryMergeRows", "100000 -> 5", true),
                new ConfigChange("router.textPlanCacheSize", "1024 -> 0", true),
                new ConfigChange("monitoring.slowQueryMs", "1000 -> 50", true));
    }

    @Test
    void listenersShardGroupsCdcAndWorkerIdNeedARestart() {
        String next = BASE.replace("port: 3307", "port: 3308").replace("port: 3320", "port: 3321")
                + "router: {workerId: 3}\n";

        assertThat(ConfigChanges.between(config(BASE, false), config(next, true))).containsExactly(
                new ConfigChange("server.port", "3307 -> 3308", false),
                new ConfigChange("shardGroups.g1", "changed", false),
                new ConfigChange("cdc", "changed", false),
                new ConfigChange("router.workerId", "0 -> 3", false));
    }

    @Test
    void theNativeBackendTheIoTransportAndBusyPollingNeedARestart() {
        String next = BASE.replace("port: 3307\n", "port: 3307\n  nativeBackend: false\n  ioTransport: epoll\n"
                + "  busyPollMicros: 50\n");

        assertThat(ConfigChanges.between(config(BASE, false), config(next, false))).containsExactly(
                new ConfigChange("server.nativeBackend", "true -> false", false),
                new ConfigChange("server.ioTransport", "auto -> epoll", false),
                new ConfigChange("server.busyPollMicros", "0 -> 50", false));
    }

    @Test
    void whileCdcRunsADataNodeChangeNeedsARestartButATableChangeDoesNot() {
        String moreNodes = BASE.replace("{shop_0: g0, shop_1: g1}", "{shop_0: g0, shop_1: g1, shop_2: g1}");
        String otherRule = BASE.replace("algorithm: {type: hash}", "algorithm: {type: mod}");

        assertThat(ConfigChanges.between(config(BASE, true), config(moreNodes, true)))
                .containsExactly(new ConfigChange("schemas.shop", "changed", false));
        assertThat(ConfigChanges.between(config(BASE, true), config(otherRule, true)))
                .containsExactly(new ConfigChange("schemas.shop", "changed", true));
    }

    private static ShardwireConfig config(String yaml, boolean cdc) {
        return ConfigLoader.parse(yaml.formatted(cdc), "s.yaml");
    }
}
