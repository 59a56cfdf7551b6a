package io.shardwire.cdc.debezium;

import io.shardwire.cdc.GroupSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a batch into the queue only once a replica of the group holds its last transaction, as semi-synchronous
 * replication lets a commit return to its client: a binlog reader gets a transaction as soon as the primary wrote it,
 * before any replica may have it, and a primary killed then would leave the queue with a change the promoted replica
 * never had. With the gate, the most advanced replica, which failover promotes, holds everything the queue has.
 *
 * <p>Each replica has a follower on a virtual thread with a connection of its own, kept open (re-opened after a
 * failure): it runs {@code MASTER_GTID_WAIT} for the latest position asked for and records how far the replica got.
 * A batch waits until one replica reached its {@link GtidTarget}: in the normal case one round trip to the fastest
 * replica. If none does within the timeout (replicas down, stopped, or far behind), the batch is stored anyway, a
 * warning is logged and {@code timeouts} counted once for the episode, and later batches do not wait, until a replica
 * catches up with the latest position asked for: semi-sync's fall-back to asynchronous replication. A failover
 * during such an episode can still find the queue ahead of the promoted replica (the capture's move is then refused).
 *
 * <p>{@link #close()} wakes a waiting batch with an {@link InterruptedException}, so it is never stored, and stops the
 * followers. Thread-safe; batches come from one thread.
 */
final class ReplicaAckGate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaAckGate.class);
    /** The longest one MASTER_GTID_WAIT runs before its follower looks at the latest position again. */
    private static final Duration WAIT_SLICE = Duration.ofSeconds(1);
    /** Between attempts to reach a replica that failed. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    /**
     * MariaDB's refusals of a login: access denied (wrong password, or a missing account: 1045, or 1698 when the
     * server did not get as far as the password), host not allowed.
     */
    private static final int ER_ACCESS_DENIED_ERROR = 1045;
    private static final int ER_ACCESS_DENIED_NO_PASSWORD_ERROR = 1698;
    private static final int ER_HOST_NOT_PRIVILEGED = 1130;

    private final String group;
    private final Duration timeout;
    private final AtomicLong timeouts;
    private final List<Follower> followers = new ArrayList<>();
    private final Object lock = new Object();

    /** The highest position asked for; null before the first batch. Guarded by {@link #lock}. */
    private GtidTarget wanted;
    /** Whether batches go in unacknowledged (the timeout passed) until a replica catches up. Guarded by lock. */
    private boolean fallenBack;
    private boolean closed;

    /**
     * @param group    names the group in logs
     * @param replicas the replicas that follow the group's primary
     * @param user     an account every replica has (the capture's: {@code MASTER_GTID_WAIT} needs no privilege)
     * @param password its password
     * @param timeout  how long a batch waits for a replica; zero for no gate
     * @param timeouts counts the times the timeout passed
     */
    ReplicaAckGate(String group, List<GroupSource.Replica> replicas, String user, String password, Duration timeout,
            AtomicLong timeouts) {
        this.group = group;
        this.timeout = timeout;
        this.timeouts = timeouts;
        if (!timeout.isZero()) {
            for (GroupSource.Replica replica : replicas) {
                followers.add(new Follower(replica, user, password));
            }
        }
        followers.forEach(follower -> Thread.ofVirtual().name("shardwire-cdc-ack-" + group + "-" + follower.replica)
                .start(follower::run));
    }

    /**
     * Returns once a replica holds the position, or the timeout passed (the batch is then stored unacknowledged).
     *
     * @param position      where the capture stands after the batch
     * @param lastEventGtid the GTID of the batch's last event, if any
     * @throws InterruptedException if interrupted or {@link #close() closed} meanwhile: the batch must not be stored
     */
    void await(CapturePosition position, Optional<String> lastEventGtid) throws InterruptedException {
        if (followers.isEmpty()) {
            return;
        }
        Optional<GtidTarget> target = GtidTarget.of(position, lastEventGtid);
        if (target.isEmpty()) {
            return;
        }
        synchronized (lock) {
            wanted = wanted == null ? target.get() : wanted.max(target.get());
            lock.notifyAll();
            long deadline = System.nanoTime() + (fallenBack ? 0 : timeout.toNanos());
            while (!closed && !acknowledged(target.get())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            if (closed) {
                throw new InterruptedException(group + ": change capture stopped while a batch waited for a replica");
            }
            if (!fallenBack && !acknowledged(target.get())) {
                fallenBack = true;
                timeouts.incrementAndGet();
                LOG.warn("{}: no replica acknowledged GTID {} within {} ms ({}); storing changes without waiting until"
                        + " one catches up, so a failover now may find the queue ahead of the promoted replica",
                        group, target.get(), timeout.toMillis(), describeFollowers());
            }
        }
    }

    private boolean acknowledged(GtidTarget target) {
        for (Follower follower : followers) {
            if (follower.reached != null && follower.reached.covers(target)) {
                return true;
            }
        }
        return false;
    }

    private String describeFollowers() {
        List<String> states = new ArrayList<>();
        for (Follower follower : followers) {
            states.add(follower.replica + " at " + (follower.reached == null ? "-" : follower.reached)
                    + (follower.lastError == null ? "" : ", " + follower.lastError));
        }
        return String.join("; ", states);
    }

    /** Wakes a waiting batch (it is not stored) and stops the followers, closing their connections. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        followers.forEach(Follower::abort);
    }

    /** Asks one replica how far it got, again and again, for the latest position wanted. */
    private final class Follower {

        private final GroupSource.Replica replica;
        private final String user;
        private final String password;
        /** The highest position the replica acknowledged. Guarded by {@link #lock}. */
        private GtidTarget reached;
        /** Why the last attempt failed, for the warning; null after a success. */
        private volatile String lastError;
        private volatile Connection connection;
        /** Whether a refused login was logged since the last login that succeeded: once, not at every retry. */
        private boolean refusalLogged;

        Follower(GroupSource.Replica replica, String user, String password) {
            this.replica = replica;
            this.user = user;
            this.password = password;
        }

        void run() {
            try {
                while (true) {
                    GtidTarget target;
                    synchronized (lock) {
                        while (!closed && (wanted == null || (reached != null && reached.covers(wanted)))) {
                            lock.wait();
                        }
                        if (closed) {
                            return;
                        }
                        target = wanted;
                    }
                    ask(target);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                abort();
            }
        }

        /** One MASTER_GTID_WAIT; a failure closes the connection and pauses before the next attempt. */
        private void ask(GtidTarget target) throws InterruptedException {
            try {
                if (waitFor(target)) {
                    lastError = null;
                    synchronized (lock) {
                        reached = reached == null ? target : reached.max(target);
                        if (fallenBack && reached.covers(wanted)) {
                            fallenBack = false;
                            LOG.info("{}: replica {} caught up (GTID {}); changes wait for a replica again", group,
                                    replica, reached);
                        }
                        lock.notifyAll();
                    }
                }
            } catch (SQLException e) {
                abort();
                boolean stopping;
                synchronized (lock) {
                    stopping = closed;
                }
                if (stopping) {
                    return;
                }
                lastError = e.getMessage();
                if (isLoginRefusal(e) && !refusalLogged) {
                    refusalLogged = true;
                    LOG.warn("{}: replica {} refused the login of the capture account '{}' ({}), so it acknowledges no"
                            + " change: check that the account exists on the replica, with the capture's password, and"
                            + " may log in from this host (an account created on the primary reaches the replica when"
                            + " it applies it). Retried every {} ms; logged once", group, replica, user, e.getMessage(),
                            RETRY_PAUSE.toMillis());
                } else {
                    LOG.debug("{}: replica {} could not be asked for GTID {}", group, replica, target, e);
                }
                Thread.sleep(RETRY_PAUSE.toMillis());
            }
        }

        /** @return whether the replica reached the target within {@link #WAIT_SLICE} */
        private boolean waitFor(GtidTarget target) throws SQLException {
            Connection current = connection;
            if (current == null) {
                long slice = Math.min(WAIT_SLICE.toMillis(), timeout.toMillis());
                current = DriverManager.getConnection("jdbc:mariadb://" + replica.host() + ":" + replica.port()
                        + "/?connectTimeout=" + Math.max(1000, timeout.toMillis()) + "&socketTimeout="
                        + (slice + Math.max(1000, timeout.toMillis())), user, password);
                connection = current;
                refusalLogged = false;
            }
            double seconds = Math.min(WAIT_SLICE.toMillis(), timeout.toMillis()) / 1000.0;
            try (PreparedStatement wait = current.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
                wait.setString(1, target.toString());
                wait.setDouble(2, seconds);
                try (ResultSet result = wait.executeQuery()) {
                    // 0: reached; -1: not within the wait; NULL (never for a non-null target): not acknowledged.
                    return result.next() && result.getInt(1) == 0 && !result.wasNull();
                }
            }
        }

        private static boolean isLoginRefusal(SQLException e) {
            return e.getErrorCode() == ER_ACCESS_DENIED_ERROR || e.getErrorCode() == ER_ACCESS_DENIED_NO_PASSWORD_ERROR
                    || e.getErrorCode() == ER_HOST_NOT_PRIVILEGED;
        }

        /** Closes the connection, from any thread: a MASTER_GTID_WAIT running on it ends with an error. */
        void abort() {
            Connection current = connection;
            connection = null;
            if (current != null) {
                try {
                    current.abort(Runnable::run);
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("{}: closing the connection to replica {} failed", group, replica, e);
                }
            }
        }
    }
}
