package io.shardwire.proxy.admin;

import io.shardwire.cdc.ChangeCaptures;
import io.shardwire.config.UserConfig;
import io.shardwire.mq.QueueStore;
import io.shardwire.proxy.backend.BackendPools;
import io.shardwire.proxy.health.HealthMonitor;
import io.shardwire.proxy.live.LiveConfig;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.proxy.session.ClientGoneException;
import io.shardwire.proxy.session.Responder;
import io.shardwire.proxy.session.SessionError;
import io.shardwire.proxy.session.SessionRegistry;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers the admin statements: checks the user is an admin (else error 1227, as MySQL answers a missing
 * privilege), then builds the statement's rows from the running proxy's parts. Thread-safe.
 */
public final class AdminConsole {

    private final LiveConfig live;
    private final HealthMonitor health;
    private final BackendPools pools;
    private final SessionRegistry sessions;
    private final Supplier<Optional<ChangeCaptures>> captures;
    private final QueueStore queue;
    private final ConfigReload reload;
    private final CaptureRates rates = new CaptureRates();

    /**
     * @param captures the running change captures, empty while there are none (they start after the listeners)
     */
    public AdminConsole(LiveConfig live, HealthMonitor health, BackendPools pools, SessionRegistry sessions,
                        Supplier<Optional<ChangeCaptures>> captures, QueueStore queue) {
        this.live = live;
        this.health = health;
        this.pools = pools;
        this.sessions = sessions;
        this.captures = captures;
        this.queue = queue;
        this.reload = new ConfigReload(live);
    }

    /**
     * Answers one admin statement.
     *
     * @param user        who sent it
     * @param statusFlags the session's status flags for the response
     */
    public void answer(AdminStatement statement, UserConfig user, Responder responder, int statusFlags)
            throws ClientGoneException {
        if (!user.admin()) {
            SessionError.of(MySQLErrorCode.ER_SPECIFIC_ACCESS_DENIED_ERROR, "SHARDWIRE ADMIN").sendTo(responder);
            return;
        }
        switch (statement.kind()) {
            case SHOW_GROUPS -> send(AdminViews.groups(live.config(), health.snapshot(), pools), responder, statusFlags);
            case SHOW_TABLES -> send(AdminViews.tables(live.config()), responder, statusFlags);
            case SHOW_SESSIONS -> send(AdminViews.sessions(sessions), responder, statusFlags);
            case SHOW_CDC -> send(AdminViews.cdc(captures.get(), rates), responder, statusFlags);
            case SHOW_QUEUE -> send(AdminViews.queue(queue), responder, statusFlags);
            case RELOAD_CONFIG -> reloadConfig(responder, statusFlags);
            case UNKNOWN -> SessionError.of(MySQLErrorCode.ER_PARSE_ERROR, "unknown admin statement '"
                    + String.join(" ", statement.words()) + "' (Shardwire has " + AdminStatement.KNOWN + ")")
                    .sendTo(responder);
        }
    }

    private void reloadConfig(Responder responder, int statusFlags) throws ClientGoneException {
        List<ConfigChange> changes;
        try {
            changes = reload.reload();
        } catch (ConfigReload.ReloadRefusedException e) {
            SessionError.of(MySQLErrorCode.ER_UNKNOWN_ERROR, e.getMessage()).sendTo(responder);
            return;
        }
        send(AdminViews.changes(changes), responder, statusFlags);
    }

    private static void send(AdminViews.Table table, Responder responder, int statusFlags) throws ClientGoneException {
        responder.rows(table.columns(), table.rows(), statusFlags);
    }
}
