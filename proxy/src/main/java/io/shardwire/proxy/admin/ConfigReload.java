package io.shardwire.proxy.admin;

import io.shardwire.config.ConfigException;
import io.shardwire.config.ConfigLoader;
import io.shardwire.config.ShardwireConfig;
import io.shardwire.proxy.live.LiveConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code RELOAD SHARDWIRE CONFIG}: reads the file the proxy was started from again, validates it, and puts it in
 * force at once if every difference can be applied live ({@link ConfigChanges}); otherwise, or if the file is not a
 * valid configuration, nothing changes and the refusal says why. Sessions connected before keep the configuration
 * they started with; new sessions get the new one; the slow-query threshold applies to every session at once.
 * Reloads run one at a time.
 */
final class ConfigReload {

    private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

    private final LiveConfig live;

    ConfigReload(LiveConfig live) {
        this.live = live;
    }

    /** Why a reload changed nothing. */
    static final class ReloadRefusedException extends Exception {
        ReloadRefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Reloads.
     *
     * @return the differences applied; empty if the file holds the running configuration
     * @throws ReloadRefusedException if the file is not a valid configuration or a difference needs a restart
     */
    synchronized List<ConfigChange> reload() throws ReloadRefusedException {
        ShardwireConfig running = live.config();
        ShardwireConfig next;
        try {
            next = ConfigLoader.load(Path.of(running.source()));
        } catch (ConfigException e) {
            throw refused(e.getMessage(), e);
        }
        List<ConfigChange> changes = ConfigChanges.between(running, next);
        List<ConfigChange> needRestart = changes.stream().filter(change -> !change.live()).toList();
        if (!needRestart.isEmpty()) {
            throw refused(needRestart.stream().map(c -> c.key() + " (" + c.change() + ")")
                    .collect(Collectors.joining(", ")) + " cannot change while the proxy runs; restart it to apply"
                    + " them", null);
        }
        if (!changes.isEmpty()) {
            live.replace(next);
            log.info("configuration reloaded from {}: {}", running.source(), changes.stream()
                    .map(c -> c.key() + " " + c.change()).collect(Collectors.joining(", ")));
        }
        return changes;
    }

    private static ReloadRefusedException refused(String why, Throwable cause) {
        log.warn("configuration reload refused, the running configuration is unchanged: {}", why);
        return new ReloadRefusedException("RELOAD SHARDWIRE CONFIG changed nothing, the running configuration stays: "
                + why, cause);
    }
}
