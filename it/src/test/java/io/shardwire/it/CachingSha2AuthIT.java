package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.config.ServerConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A proxy that offers caching_sha2_password, with real clients. */
class CachingSha2AuthIT {

    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        // As MySQL after a restart: no user is cached until a full authentication.
        fixture = ProxyFixture.start("sha2", 1, ServerConfig.AuthPlugin.CACHING_SHA2_PASSWORD,
                "  warmAuthCache: false\n");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void theFirstLoginNeedsRsaFullAuthenticationThenTheFastPathServes() throws Exception {
        // Not cached yet: the server asks for full authentication, which a client may not do in plain text
        // without the server's RSA key, and Connector/J does not fetch it unless allowed.
        assertThatThrownBy(() -> fixture.connect("admin", "admin", "shop").close())
                .hasMessageContaining("Public Key Retrieval is not allowed");
        try (Connection c = fixture.connect("admin", "admin", "shop", "allowPublicKeyRetrieval", "true");
             ResultSet rs = c.createStatement().executeQuery("SELECT CURRENT_USER(), DATABASE()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("admin@%");
            assertThat(rs.getString(2)).isEqualTo("shop");
        }
        // Cached now: the scramble alone passes, no key needed.
        try (Connection c = fixture.connect("admin", "admin", "shop");
             ResultSet rs = c.createStatement().executeQuery("SELECT CURRENT_USER()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("admin@%");
        }
    }

    @Test
    void aWrongPasswordGoesThroughRsaFullAuthenticationAndIsDenied() {
        // The scramble does not match, so the server asks for full authentication; the client fetches
        // the RSA public key, sends the password encrypted, and the server refuses it.
        assertThatThrownBy(() -> fixture.connect("app", "wrong", "shop", "allowPublicKeyRetrieval", "true").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1045);
                    assertThat(e.getMessage()).contains("Access denied for user 'app'");
                });
    }

    @Test
    void theMariaDbCliLogsInToo() throws Exception {
        MariaDbCli.Result result = MariaDbCli.run(fixture.proxy.port(), "app", "app", "shop", "SELECT 40 + 2");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).isEqualTo("42\n");
        MariaDbCli.Result denied = MariaDbCli.run(fixture.proxy.port(), "app", "wrong", "shop", "SELECT 1");
        assertThat(denied.stderr()).contains("ERROR 1045 (28000)");
    }
}
