package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.config.UserConfig;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccountViewsTest {

    private static final UserConfig APP = new UserConfig("app", "app", Set.of("shop", "audit"), false);

    @Test
    void grantsAreTheUsersOwnSchemas() {
        AccountViews.Answer own = AccountViews.grants("SHOW GRANTS", APP, "10.0.0.5").orElseThrow();
        assertThat(own.columns()).containsExactly("Grants for app@%");
        assertThat(own.rows()).containsExactly(List.of("GRANT USAGE ON *.* TO `app`@`%`"),
                List.of("GRANT ALL PRIVILEGES ON `audit`.* TO `app`@`%`"),
                List.of("GRANT ALL PRIVILEGES ON `shop`.* TO `app`@`%`"));
        for (String self : List.of("show grants for current_user", "SHOW GRANTS FOR CURRENT_USER()", "SHOW GRANTS FOR 'app'@'%'",
                "SHOW GRANTS FOR `app`@localhost;")) {
            assertThat(AccountViews.grants(self, APP, "h").orElseThrow().error()).as(self).isNull();
        }
        assertThat(AccountViews.grants("SHOW GRANTS FOR root@localhost", APP, "10.0.0.5").orElseThrow().error().message())
                .isEqualTo("Access denied for user 'app'@'10.0.0.5' to database 'mysql'");
        assertThat(AccountViews.grants("SHOW GRANTSX", APP, "h")).isEmpty();
    }

    @Test
    void databasesLikeMatchesTheVisibleSchemasOnly() {
        assertThat(AccountViews.databases("SHOW DATABASES LIKE '%'", List.of("shop", "audit")).orElseThrow().rows())
                .containsExactly(List.of("information_schema"), List.of("audit"), List.of("shop"));
        assertThat(AccountViews.databases("show schemas like 's_o%'", List.of("shop")).orElseThrow().rows())
                .containsExactly(List.of("shop"));
        assertThat(AccountViews.databases("SHOW DATABASES LIKE 'SHOP'", List.of("shop")).orElseThrow().rows()).isEmpty();
        assertThat(AccountViews.databases("SHOW DATABASES LIKE 'shop\\\\_0'", List.of("shop")).orElseThrow().rows()).isEmpty();
        assertThat(AccountViews.databases("SHOW DATABASES WHERE `Database` = 'mysql'", List.of("shop")).orElseThrow()
                .error().code()).isEqualTo(1235);
        assertThat(AccountViews.databases("SHOW DATABASES", List.of("shop"))).isEmpty();
    }
}
