package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.config.ConfigLoader;
import io.shardwire.config.DataSourceConfig;
import io.shardwire.config.ShardGroupConfig;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.config.UserConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot be run here (no Docker engine, and no {@code docker compose} plugin to validate it), so
 * this checks what can be checked without one: the file parses, and it agrees with the proxy configuration it
 * mounts: the config path, the published ports, the data source hosts, ports and accounts, the replication set-up,
 * and the account the demo schema is loaded with. The configuration itself passes {@code check-config}'s validation.
 * Named {@code *IT} so that this module's surefire runs it; it needs no server.
 */
class ComposeFileIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String CONFIG_IN_CONTAINER = "/etc/shardwire/shardwire.yaml";

    private final Map<String, Object> compose = yaml(ROOT.resolve("docker-compose.yml"));
    private final ShardwireConfig config = ConfigLoader.load(ROOT.resolve("docker/shardwire.yaml"));

    @Test
    void theProxyServiceMountsTheConfigItIsStartedWith() {
        Map<String, Object> proxy = service("shardwire");
        assertThat(proxy.get("build")).isEqualTo(".");
        assertThat(strings(proxy.get("command"))).containsExactly("start", "--config", CONFIG_IN_CONTAINER);
        assertThat(strings(proxy.get("volumes"))).contains("./docker/shardwire.yaml:" + CONFIG_IN_CONTAINER + ":ro",
                "shardwire-data:" + config.server().dataDir());
        assertThat(read("Dockerfile")).contains("CMD [\"start\", \"--config\", \"" + CONFIG_IN_CONTAINER + "\"]");
    }

    @Test
    void publishedPortsAreTheConfiguredOnesOnAllInterfaces() {
        assertThat(config.server().host()).isEqualTo("0.0.0.0");
        assertThat(strings(service("shardwire").get("ports"))).containsExactly(
                config.server().port() + ":" + config.server().port(),
                config.server().httpPort() + ":" + config.server().httpPort());
    }

    @Test
    void everyDataSourceIsAMariadbServiceWithTheConfiguredAccount() {
        String primaryAccounts = read("docker/mariadb/primary-accounts.sql");
        String replicaSetup = read("docker/mariadb/replica-setup.sh");
        List<String> sources = new ArrayList<>();
        for (ShardGroupConfig group : config.shardGroups()) {
            check(group.primary(), "10-accounts.sql", primaryAccounts);
            sources.add(group.primary().host());
            for (DataSourceConfig replica : group.replicas()) {
                check(replica, "20-replica.sh", replicaSetup);
                Map<String, Object> service = service(replica.host());
                assertThat(map(service.get("environment"))).containsEntry("SHARDWIRE_PRIMARY_HOST", group.primary().host());
                assertThat(strings(service.get("command"))).contains("--read-only=ON");
                sources.add(replica.host());
            }
        }
        assertThat(sources).containsExactlyInAnyOrder("g0-primary", "g0-replica", "g1-primary", "g1-replica");
        assertThat(replicaSetup).contains("MASTER_USE_GTID = slave_pos", "MASTER_USER = 'repl'");
        assertThat(primaryAccounts).contains("CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'repl'");
    }

    private void check(DataSourceConfig source, String initScript, String initText) {
        Map<String, Object> service = service(source.host());
        // MariaDB listens on its default port in its container; the services publish none.
        assertThat(source.port()).isEqualTo(3306);
        assertThat(service).doesNotContainKey("ports");
        assertThat(strings(service.get("command"))).contains("--binlog-format=ROW", "--binlog-row-image=FULL")
                .anyMatch(arg -> arg.startsWith("--server-id=")).anyMatch(arg -> arg.startsWith("--log-bin="));
        assertThat(strings(service.get("volumes"))).anyMatch(v -> v.endsWith("/docker-entrypoint-initdb.d/" + initScript + ":ro"));
        assertThat(initText).contains("CREATE USER IF NOT EXISTS '" + source.user() + "'@'%' IDENTIFIED BY '"
                + source.password() + "'");
    }

    @Test
    void serverIdsAreUnique() {
        List<String> ids = new ArrayList<>();
        for (ShardGroupConfig group : config.shardGroups()) {
            ids.add(serverId(group.primary().host()));
            group.replicas().forEach(r -> ids.add(serverId(r.host())));
        }
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void theDemoSchemaIsLoadedThroughTheProxyAsAConfiguredAdmin() {
        String command = String.join(" ", strings(service("demo-schema").get("command")));
        UserConfig admin = config.user("admin").orElseThrow();
        assertThat(admin.admin()).isTrue();
        assertThat(command).contains("-hshardwire -P" + config.server().port() + " -u" + admin.name() + " -p"
                + admin.password());
        assertThat(read("docker/demo/shop.sql")).contains("CREATE DATABASE IF NOT EXISTS shop;",
                "CREATE TABLE IF NOT EXISTS customers", "CREATE TABLE IF NOT EXISTS orders",
                "CREATE TABLE IF NOT EXISTS products");
        assertThat(config.schema("shop")).isPresent();
        assertThat(config.cdc().enabled()).isTrue();
    }

    /**
     * Where a Compose v1 client is installed (Debian's {@code docker-compose}, which validates without an engine),
     * it must accept the file; skipped elsewhere ({@code docker compose}, the v2 plugin, is not on these machines).
     */
    @Test
    void composeAcceptsTheFileWhereItIsInstalled() throws Exception {
        Path client = Path.of("/usr/bin/docker-compose");
        Assumptions.assumeTrue(Files.isExecutable(client), "docker-compose is not installed");
        Process process = new ProcessBuilder(client.toString(), "-f", "docker-compose.yml", "config", "-q")
                .directory(ROOT.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    @Test
    void kafkaRunsInKraftMode() {
        Map<String, Object> environment = map(service("kafka").get("environment"));
        assertThat(environment).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsKey("KAFKA_CONTROLLER_QUORUM_VOTERS").doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
    }

    private String serverId(String service) {
        return strings(service(service).get("command")).stream().filter(arg -> arg.startsWith("--server-id="))
                .findFirst().orElseThrow();
    }

    private Map<String, Object> service(String name) {
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services).as("compose services").containsKey(name);
        return map(services.get(name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static List<String> strings(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return ((List<?>) value).stream().map(String::valueOf).toList();
    }

    private static Map<String, Object> yaml(Path file) {
        return map(new Yaml().load(read(ROOT.relativize(file).toString())));
    }

    private static String read(String relative) {
        try {
            return Files.readString(ROOT.resolve(relative));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
