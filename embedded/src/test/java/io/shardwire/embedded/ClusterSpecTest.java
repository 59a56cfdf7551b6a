package io.shardwire.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterSpecTest {

    @Test
    void ofFillsInTheDefaults() {
        ClusterSpec spec = ClusterSpec.of(Path.of("target", "x"), 2, 1);

        assertThat(spec.dataDir()).isEqualTo(Path.of("target", "x").toAbsolutePath());
        assertThat(spec.baseDir()).isEqualTo(ClusterSpec.defaultBaseDir().toAbsolutePath());
        assertThat(spec.firstPort()).isZero();
        assertThat(spec.user()).isEqualTo("shardwire");
        assertThat(spec.password()).isEqualTo("shardwire");
        assertThat(spec.startTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(spec.serverCount()).isEqualTo(4);
    }

    @Test
    void withMethodsChangeOneField() {
        ClusterSpec spec = ClusterSpec.of(Path.of("target", "x"), 1, 0)
                .withFirstPort(41000)
                .withCredentials("app", "s3cret")
                .withStartTimeout(Duration.ofSeconds(5));

        assertThat(spec.firstPort()).isEqualTo(41000);
        assertThat(spec.user()).isEqualTo("app");
        assertThat(spec.password()).isEqualTo("s3cret");
        assertThat(spec.startTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(spec.groups()).isEqualTo(1);
    }

    @Test
    void toStringLeavesThePasswordOut() {
        assertThat(ClusterSpec.of(Path.of("target", "x"), 1, 0).withCredentials("app", "s3cret").toString())
                .contains("user=app")
                .doesNotContain("s3cret");
    }

    @Test
    void limitsAreCheckedWithTheExpectedRange() {
        ClusterSpec spec = ClusterSpec.of(Path.of("target", "x"), 1, 1);

        assertThatThrownBy(() -> ClusterSpec.of(Path.of("x"), 0, 0))
                .hasMessage("groups: 0 (expected: 1..99)");
        assertThatThrownBy(() -> ClusterSpec.of(Path.of("x"), 1, -1))
                .hasMessage("replicasPerGroup: -1 (expected: 0..98)");
        assertThatThrownBy(() -> spec.withFirstPort(65535))
                .hasMessage("firstPort: 65535 (expected: 0, or 1024..65534 so that all 2 ports fit)");
        assertThatThrownBy(() -> spec.withCredentials(" ", "pw"))
                .hasMessageStartingWith("user: ' '");
        assertThatThrownBy(() -> spec.withStartTimeout(Duration.ZERO))
                .hasMessageStartingWith("startTimeout: PT0S");
    }
}
