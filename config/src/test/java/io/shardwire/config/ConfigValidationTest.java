package io.shardwire.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/**
 * One test per kind of invalid configuration, each asserting the exact message with its key path.
 * Every case is {@link #VALID} with one edit, so the edit alone causes the error.
 */
class ConfigValidationTest {

    private static final String VALID = """
            server:
              users:
                - name: app
                  password: app
                  schemas: [shop]
                - name: admin
                  password: admin
                  admin: true
            shardGroups:
              - name: g0
                primary: {host: 127.0.0.1, port: 3310, user: shardwire, password: shardwire}
              - name: g1
                primary: {host: 127.0.0.1, port: 3320, user: shardwire, password: shardwire}
                replicas:
                  - {host: 127.0.0.1, port: 3321, user: shardwire, password: shardwire}
            schemas:
              - name: shop
                defaultShardGroup: g0
                tables:
                  orders: {shardGroup: g1}
                  customers:
            """;

    @Test
    void baseConfigurationIsValid() {
        assertThatCode(() -> ConfigLoader.parse(VALID, "shardwire.yaml")).doesNotThrowAnyException();
    }

    @Test
    void unknownShardGroupOfATable() {
        ConfigException e = errorOf(edit("orders: {shardGroup: g1}", "orders: {shardGroup: g9}"));

        assertThat(e).hasMessage("shardwire.yaml: schemas[0].tables.orders.shardGroup: unknown shard group 'g9'");
        assertThat(e.source()).isEqualTo("shardwire.yaml");
        assertThat(e.path()).isEqualTo("schemas[0].tables.orders.shardGroup");
        assertThat(e.reason()).isEqualTo("unknown shard group 'g9'");
    }

    @Test
    void unknownDefaultShardGroup() {
        assertThat(errorOf(edit("defaultShardGroup: g0", "defaultShardGroup: g7")))
                .hasMessage("shardwire.yaml: schemas[0].defaultShardGroup: unknown shard group 'g7'");
    }

    @Test
    void unknownKeyListsTheExpectedOnes() {
        assertThat(errorOf(edit("server:\n", "server:\n  typo: 1\n")))
                .hasMessage("shardwire.yaml: server.typo: unknown key "
                        + "(expected one of: host, port, httpPort, dataDir, authPlugin, maxConnections, maxUserConnections, "
                        + "idleTimeoutSeconds, maxAllowedPacket, warmAuthCache, tls, requireSecureTransport, users, nativeBackend, ioTransport, "
                        + "busyPollMicros)");
        assertThat(errorOf(VALID + "cdc: {replicaAckTimeout: 1}\n"))
                .hasMessage("shardwire.yaml: cdc.replicaAckTimeout: unknown key (expected one of: enabled, user, "
                        + "password, serverIdBase, partitioning, keyPartitions, replicaAckTimeoutMs)");
        assertThat(errorOf(VALID + "monitoring: {downAfterFailures: 3}\n"))
                .hasMessage("shardwire.yaml: monitoring.downAfterFailures: unknown key (expected one of: "
                        + "heartbeatIntervalMs, heartbeatTimeoutMs, downAfterFailedChecks, slowQueryMs)");
    }

    @Test
    void unknownKeyInsideAListElement() {
        assertThat(errorOf(edit("port: 3321,", "prot: 3321,")))
                .hasMessage("shardwire.yaml: shardGroups[1].replicas[0].prot: unknown key "
                        + "(expected one of: host, port, user, password, weight)");
    }

    @Test
    void unknownTopLevelKey() {
        assertThat(errorOf(VALID + "shardgroups: []\n"))
                .hasMessage("shardwire.yaml: shardgroups: unknown key "
                        + "(expected one of: server, shardGroups, schemas, cdc, queue, router, monitoring)");
    }

    @Test
    void missingRequiredKey() {
        assertThat(errorOf(edit("{host: 127.0.0.1, port: 3320, user:", "{host: 127.0.0.1, user:")))
                .hasMessage("shardwire.yaml: shardGroups[1].primary.port: required");
    }

    @Test
    void missingRequiredSection() {
        assertThat(errorOf(VALID.substring(VALID.indexOf("shardGroups:"))))
                .hasMessage("shardwire.yaml: server: required");
    }

    @Test
    void emptyValueCountsAsMissing() {
        assertThat(errorOf(edit("  password: admin\n", "  password:\n")))
                .hasMessage("shardwire.yaml: server.users[1].password: required");
    }

    @Test
    void requiredListMustNotBeEmpty() {
        assertThat(errorOf(VALID.replaceAll("(?s)schemas:\n  - name: shop.*", "schemas: []\n")))
                .hasMessage("shardwire.yaml: schemas: must have at least one entry");
    }

    @Test
    void stringWhereANumberBelongs() {
        assertThat(errorOf(edit("port: 3320", "port: abc")))
                .hasMessage("shardwire.yaml: shardGroups[1].primary.port: must be an integer in 1..65535, got 'abc'");
    }

    @Test
    void quotedNumberIsAString() {
        assertThat(errorOf(edit("port: 3320", "port: '3320'")))
                .hasMessage("shardwire.yaml: shardGroups[1].primary.port: must be an integer in 1..65535, got '3320'");
    }

    @Test
    void yaml11NumberFormsAreNotNumbers() {
        assertThat(errorOf(edit("server:\n", "server:\n  maxConnections: 0x10\n")))
                .hasMessage("shardwire.yaml: server.maxConnections: must be an integer >= 1, got '0x10'");
    }

    @Test
    void wrongKindOfNode() {
        assertThat(errorOf(edit("schemas: [shop]", "schemas: shop")))
                .hasMessage("shardwire.yaml: server.users[0].schemas: must be a list, got 'shop'");
        assertThat(errorOf(edit("  - name: g0\n", "  - name: {g: 0}\n")))
                .hasMessage("shardwire.yaml: shardGroups[0].name: must be a string, got a mapping");
        assertThat(errorOf(edit("admin: true", "admin: yes")))
                .hasMessage("shardwire.yaml: server.users[1].admin: must be true or false, got 'yes'");
    }

    @Test
    void listElementMustBeAMapping() {
        assertThat(errorOf(edit("  - {host: 127.0.0.1, port: 3321, user: shardwire, password: shardwire}",
                "  - 127.0.0.1:3321")))
                .hasMessage("shardwire.yaml: shardGroups[1].replicas[0]: must be a mapping, got '127.0.0.1:3321'");
    }

    @Test
    void portOutOfRange() {
        assertThat(errorOf(edit("port: 3310", "port: 70000")))
                .hasMessage("shardwire.yaml: shardGroups[0].primary.port: must be an integer in 1..65535, got '70000'");
        assertThat(errorOf(edit("server:\n", "server:\n  port: 0\n")))
                .hasMessage("shardwire.yaml: server.port: must be an integer in 1..65535, got '0'");
    }

    @Test
    void httpPortMustDifferFromPort() {
        assertThat(errorOf(edit("server:\n", "server:\n  port: 4000\n  httpPort: 4000\n")))
                .hasMessage("shardwire.yaml: server.httpPort: must differ from port (4000)");
    }

    @Test
    void intKeyRejectsValuesBeyondInt() {
        assertThat(errorOf(edit("server:\n", "server:\n  maxConnections: 3000000000\n")))
                .hasMessage("shardwire.yaml: server.maxConnections: must be at most 2147483647, got '3000000000'");
    }

    @Test
    void duplicateUser() {
        assertThat(errorOf(edit("      admin: true\n", "      admin: true\n    - name: app\n      password: x\n")))
                .hasMessage("shardwire.yaml: server.users[2].name: duplicate user 'app'");
    }

    @Test
    void duplicateShardGroup() {
        assertThat(errorOf(edit("  - name: g1\n", "  - name: g0\n")))
                .hasMessage("shardwire.yaml: shardGroups[1].name: duplicate shard group 'g0'");
    }

    @Test
    void duplicateSchema() {
        assertThat(errorOf(VALID + "  - {name: shop, defaultShardGroup: g1}\n"))
                .hasMessage("shardwire.yaml: schemas[1].name: duplicate schema 'shop'");
    }

    @Test
    void duplicateHostAndPortAcrossGroups() {
        assertThat(errorOf(edit("{host: 127.0.0.1, port: 3321,", "{host: 127.0.0.1, port: 3310,")))
                .hasMessage("shardwire.yaml: shardGroups[1].replicas[0]: "
                        + "data source 127.0.0.1:3310 is already used by shardGroups[0].primary");
    }

    @Test
    void duplicateHostAndPortIgnoresHostCase() {
        String yaml = edit("{host: 127.0.0.1, port: 3310,", "{host: DB.example, port: 3310,")
                .replace("{host: 127.0.0.1, port: 3320,", "{host: db.EXAMPLE, port: 3310,");

        assertThat(errorOf(yaml)).hasMessage("shardwire.yaml: shardGroups[1].primary: "
                + "data source db.EXAMPLE:3310 is already used by shardGroups[0].primary");
    }

    @Test
    void badEnumValue() {
        assertThat(errorOf(edit("server:\n", "server:\n  authPlugin: sha256_password\n")))
                .hasMessage("shardwire.yaml: server.authPlugin: must be one of "
                        + "mysql_native_password, caching_sha2_password, got 'sha256_password'");
        assertThat(errorOf(VALID + "queue: {fsync: always}\n"))
                .hasMessage("shardwire.yaml: queue.fsync: must be one of batch, interval, never, got 'always'");
    }

    @Test
    void userSchemaMustExist() {
        assertThat(errorOf(edit("schemas: [shop]", "schemas: [shop, shopx]")))
                .hasMessage("shardwire.yaml: server.users[0].schemas[1]: unknown schema 'shopx'");
    }

    @Test
    void userSchemaListedTwice() {
        assertThat(errorOf(edit("schemas: [shop]", "schemas: [shop, shop]")))
                .hasMessage("shardwire.yaml: server.users[0].schemas[1]: duplicate schema 'shop'");
    }

    @Test
    void invalidNames() {
        assertThat(errorOf(edit("orders: {", "order-items: {")))
                .hasMessage("shardwire.yaml: schemas[0].tables.order-items: invalid table name (must match [A-Za-z0-9_$]+)");
        assertThat(errorOf(edit("  - name: g1\n", "  - name: g 1\n")))
                .hasMessage("shardwire.yaml: shardGroups[1].name: must match [A-Za-z0-9_]+, got 'g 1'");
        assertThat(errorOf(edit("  - name: shop\n", "  - name: shop.eu\n")))
                .hasMessage("shardwire.yaml: schemas[0].name: must match [A-Za-z0-9_$]+, got 'shop.eu'");
    }

    @Test
    void emptyStringWhereANameBelongs() {
        assertThat(errorOf(edit("    - name: app\n", "    - name: \"\"\n")))
                .hasMessage("shardwire.yaml: server.users[0].name: must not be empty");
    }

    @Test
    void queueLimits() {
        assertThat(errorOf(VALID + "queue: {segmentBytes: 1000}\n"))
                .hasMessage("shardwire.yaml: queue.segmentBytes: must be an integer >= 1048576, got '1000'");
        assertThat(errorOf(VALID + "queue: {retentionHours: 0}\n"))
                .hasMessage("shardwire.yaml: queue.retentionHours: must be -1 or an integer >= 1, got '0'");
        assertThat(errorOf(VALID + "queue: {segmentBytes: 2097152, retentionBytes: 1048576}\n"))
                .hasMessage("shardwire.yaml: queue.retentionBytes: "
                        + "must be -1 or an integer >= segmentBytes (2097152), got '1048576'");
        assertThat(errorOf(VALID + "queue: {segmentBytes: 2097152, diskQuotaBytes: 0}\n"))
                .hasMessage("shardwire.yaml: queue.diskQuotaBytes: "
                        + "must be -1 or an integer >= segmentBytes (2097152), got '0'");
    }

    @Test
    void bridgeKeysAreCheckedWithTheirPaths() {
        assertThat(errorOf(VALID + "queue: {bridges: {kafka: {topicPrefix: x}}}\n"))
                .hasMessageStartingWith("shardwire.yaml: queue.bridges.kafka.bootstrapServers: ");
        assertThat(errorOf(VALID + "queue: {bridges: {kafka: {bootstrapServers: 'k:9092', topicPrefix: 'a b'}}}\n"))
                .hasMessage("shardwire.yaml: queue.bridges.kafka.topicPrefix: must be ASCII letters, digits, '.',"
                        + " '_' or '-' (Kafka topic names), got 'a b'");
        assertThat(errorOf(VALID + "queue: {bridges: {kafka: {bootstrapServers: 'k:9092',"
                + " properties: {acks: '1'}}}}\n"))
                .hasMessage("shardwire.yaml: queue.bridges.kafka.properties.acks: is set by the bridge itself"
                        + " (bootstrap.servers comes from bootstrapServers)");
        assertThat(errorOf(VALID + "queue: {bridges: {kafka: {bootstrapServers: 'k:9092', topicPartitions: 0}}}\n"))
                .hasMessage("shardwire.yaml: queue.bridges.kafka.topicPartitions: must be an integer >= 1, got '0'");
        assertThat(errorOf(VALID + "queue: {bridges: {rabbitmq: {port: 70000}}}\n"))
                .hasMessage("shardwire.yaml: queue.bridges.rabbitmq.port: must be an integer in 1..65535,"
                        + " got '70000'");
        assertThat(errorOf(VALID + "queue: {bridges: {rabbitmq: {group: 'a/b'}}}\n"))
                .hasMessage("shardwire.yaml: queue.bridges.rabbitmq.group: must be 1 to 200 letters, digits, '.', '_'"
                        + " or '-', got 'a/b'");
        assertThat(errorOf(VALID + "queue: {bridges: {nats: {}}}\n"))
                .hasMessageStartingWith("shardwire.yaml: queue.bridges.nats: ");
        assertThat(errorOf(VALID + "queue: {bridges: {kafka: {bootstrapServers: 'k:9092', group: g},"
                + " rabbitmq: {group: g}}}\n"))
                .hasMessage("shardwire.yaml: queue.bridges.rabbitmq: group 'g' is the kafka bridge's too; each"
                        + " bridge needs a consumer group of its own");
    }

    @Test
    void tlsAndConnectionPolicy() {
        assertThat(errorOf(edit("server:\n", "server:\n  requireSecureTransport: true\n")))
                .hasMessage("shardwire.yaml: server.requireSecureTransport: needs tls.enabled: true");
        assertThat(errorOf(edit("server:\n", "server:\n  tls: {enabled: true, certificate: cert.pem}\n")))
                .hasMessage("shardwire.yaml: server.tls.certificate: certificate and privateKey go together");
        assertThat(errorOf(edit("server:\n", "server:\n  tls: {enabled: true, certificate: /nonexistent/c.pem,"
                + " privateKey: /nonexistent/k.pem}\n")))
                .hasMessage("shardwire.yaml: server.tls.certificate: not a readable file: /nonexistent/c.pem");
        assertThat(errorOf(edit("server:\n", "server:\n  tls: {enable: true}\n")))
                .hasMessage("shardwire.yaml: server.tls.enable: unknown key (expected one of: enabled, certificate,"
                        + " privateKey)");
        assertThat(errorOf(edit("server:\n", "server:\n  maxUserConnections: -1\n")))
                .hasMessage("shardwire.yaml: server.maxUserConnections: must be an integer >= 0, got '-1'");
        assertThat(errorOf(edit("server:\n", "server:\n  idleTimeoutSeconds: 0\n")))
                .hasMessage("shardwire.yaml: server.idleTimeoutSeconds: must be an integer in 1..31536000,"
                        + " got '0'");
        assertThat(errorOf(edit("server:\n", "server:\n  maxAllowedPacket: 1023\n")))
                .hasMessage("shardwire.yaml: server.maxAllowedPacket: must be an integer in 1024..1073741824,"
                        + " got '1023'");
        assertThat(errorOf(edit("server:\n", "server:\n  maxAllowedPacket: 1073741825\n")))
                .hasMessage("shardwire.yaml: server.maxAllowedPacket: must be an integer in 1024..1073741824,"
                        + " got '1073741825'");
        assertThat(ConfigLoader.parse(edit("server:\n", "server:\n"), "shardwire.yaml").server().maxAllowedPacket())
                .as("default").isEqualTo(64 * 1024 * 1024);
        assertThat(ConfigLoader.parse(edit("server:\n", "server:\n"), "shardwire.yaml").server().warmAuthCache())
                .as("default").isTrue();
        ServerConfig server = ConfigLoader.parse(edit("server:\n", "server:\n  tls: {enabled: true}\n"
                + "  requireSecureTransport: true\n  maxUserConnections: 3\n  idleTimeoutSeconds: 60\n"
                + "  maxAllowedPacket: 1048576\n  warmAuthCache: false\n"),
                "shardwire.yaml").server();
        assertThat(server.tls()).isEqualTo(new TlsConfig(true, null, null, true));
        assertThat(server.tls().selfSigned()).isTrue();
        assertThat(server.maxUserConnections()).isEqualTo(3);
        assertThat(server.idleTimeout()).isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(server.maxAllowedPacket()).isEqualTo(1_048_576);
        assertThat(server.warmAuthCache()).isFalse();
    }

    @Test
    void busyPollingIsBounded() {
        assertThat(ConfigLoader.parse(edit("server:\n", "server:\n"), "shardwire.yaml").server().busyPollMicros())
                .as("default").isZero();
        assertThat(ConfigLoader.parse(edit("server:\n", "server:\n  busyPollMicros: 1000\n"), "shardwire.yaml")
                .server().busyPollMicros()).isEqualTo(1000);
        assertThat(errorOf(edit("server:\n", "server:\n  busyPollMicros: 1001\n")))
                .hasMessage("shardwire.yaml: server.busyPollMicros: must be an integer in 0..1000, got '1001'");
        assertThat(errorOf(edit("server:\n", "server:\n  busyPollMicros: -1\n")))
                .hasMessage("shardwire.yaml: server.busyPollMicros: must be an integer in 0..1000, got '-1'");
    }

    @Test
    void poolAndCdcLimits() {
        assertThat(errorOf(edit("password: shardwire}\n  - name: g1", "password: shardwire}\n"
                + "    pool: {connectionTimeoutMs: 100}\n  - name: g1")))
                .hasMessage("shardwire.yaml: shardGroups[0].pool.connectionTimeoutMs: must be an integer >= 250, got '100'");
        assertThat(errorOf(VALID + "cdc: {serverIdBase: 0}\n"))
                .hasMessage("shardwire.yaml: cdc.serverIdBase: must be an integer in 1..4294967295, got '0'");
    }

    /** {@link #VALID} with {@code from} (which must occur) replaced by {@code to}. */
    private static String edit(String from, String to) {
        assertThat(VALID).contains(from);
        return VALID.replace(from, to);
    }

    private static ConfigException errorOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "shardwire.yaml"));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e;
    }
}
