package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.config.ServerConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's proxy (TLS on with a self-signed certificate made at start) with {@code requireSecureTransport}, offering
 * caching_sha2_password, with real clients: logins over TLS work, plain ones get error 3159.
 */
class TlsIT {

    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        // No user cached at start: every user's first login is a full authentication, over TLS in clear text.
        fixture = ProxyFixture.start("tls", 1, ServerConfig.AuthPlugin.CACHING_SHA2_PASSWORD,
                "  requireSecureTransport: true\n  warmAuthCache: false\n");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void connectorJWithSslModeRequiredRunsStatements() throws Exception {
        try (Connection c = fixture.connect("app", "app", "shop", "sslMode", "REQUIRED");
             ResultSet rs = c.createStatement().executeQuery("SELECT DATABASE(), 40 + 2")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("shop");
            assertThat(rs.getInt(2)).isEqualTo(42);
        }
    }

    @Test
    void connectorJWithServerPreparedStatementsOverTls() throws Exception {
        try (Connection c = fixture.connect("app", "app", "shop", "sslMode", "REQUIRED", "useServerPrepStmts", "true");
             var ps = c.prepareStatement("SELECT ? * 2")) {
            ps.setInt(1, 21);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void aUserNotYetCachedLogsInByFullAuthenticationOverTls() throws Exception {
        // Only this test logs in as admin: the fast path cannot serve it, the password goes in clear text over TLS.
        try (Connection c = fixture.connect("admin", "admin", "shop", "sslMode", "REQUIRED");
             ResultSet rs = c.createStatement().executeQuery("SELECT CURRENT_USER()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("admin@%");
        }
    }

    @Test
    void aWrongPasswordOverTlsIsCheckedInClearTextAndDenied() {
        // The scramble does not match, so full authentication follows; over TLS Connector/J sends the password in
        // clear text (no RSA key retrieval, which is not allowed here), and the proxy refuses it.
        assertThatThrownBy(() -> fixture.connect("app", "wrong", "shop", "sslMode", "REQUIRED").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1045);
                    assertThat(e.getMessage()).contains("Access denied for user 'app'");
                });
    }

    @Test
    void mariaDbConnectorJOverTls() throws Exception {
        Properties props = new Properties();
        props.setProperty("user", "app");
        props.setProperty("password", "app");
        props.setProperty("sslMode", "trust");
        try (Connection c = DriverManager.getConnection(
                "jdbc:mariadb://127.0.0.1:" + fixture.proxy.port() + "/shop", props);
             ResultSet rs = c.createStatement().executeQuery("SELECT 6 * 7")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void plainTextLoginsAreRefusedWithSecureTransportRequired() {
        assertThatThrownBy(() -> fixture.connect("app", "app", "shop", "sslMode", "DISABLED").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(3159);
                    assertThat(e.getMessage()).contains("insecure transport are prohibited");
                });
    }

    @Test
    void theMariaDbCliWithSsl() throws Exception {
        MariaDbCli.Result result = MariaDbCli.runOverTls(fixture.proxy.port(), "app", "app", "shop", "SELECT 40 + 2");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).isEqualTo("42\n");
        MariaDbCli.Result plain = MariaDbCli.run(fixture.proxy.port(), "app", "app", "shop", "SELECT 1");
        assertThat(plain.stderr()).contains("ERROR 3159 (HY000)");
    }
}
