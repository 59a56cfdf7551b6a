package io.shardwire.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import io.shardwire.config.DataSourceConfig;
import io.shardwire.proxy.backend.BackendConnection;
import io.shardwire.proxy.backend.BackendPools;
import io.shardwire.proxy.backend.nativ.NativeBackends;
import io.shardwire.proxy.backend.nativ.NativeCommands;
import io.shardwire.proxy.backend.nativ.NativeConnection;
import io.shardwire.proxy.backend.nativ.NativeFallback;
import io.shardwire.proxy.backend.nativ.NativeTarget;
import io.shardwire.proxy.health.FailureMessage;
import io.shardwire.proxy.metrics.StatementRecorder;
import io.shardwire.proxy.metrics.StatementType;
import io.shardwire.proxy.protocol.MySQLPacketBatch;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.MySQLSequenceReset;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.proxy.protocol.constant.MySQLStatusFlag;
import io.shardwire.proxy.protocol.packet.generic.MySQLEofPacket;
import io.shardwire.proxy.protocol.packet.generic.MySQLErrPacket;
import io.shardwire.proxy.protocol.packet.generic.MySQLOKPacket;
import io.shardwire.proxy.session.PreparedStatementState;
import io.shardwire.proxy.session.ResultsCharset;
import io.shardwire.proxy.session.Session;
import io.shardwire.proxy.topology.GroupTopology;
import io.shardwire.router.plan.NodeStatement;
import io.shardwire.router.rule.LogicalNames;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native path of one client connection: a prepared read that {@link Session#nativeRead} lets go to one data
 * node (or a text-protocol read the session's worker hands over, {@link #query}, sent as COM_QUERY) runs on a
 * {@link NativeConnection} to the replica it chose, or to the group's primary, on the client's own event loop, and its
 * response passes to the client as the backend sent it: the column count and the binary (or text) rows as they are
 * (but for text columns in another charset than the session's results, {@link ResultTranscoder}), the column
 * definitions with logical names ({@link ColumnDefinitions}), the EOF/OK and ERR packets as the JDBC path
 * presents them (no warning count, the status flags a client may see from a backend). Nothing goes to the
 * client before the first row, the end of the result or an error: a replica's connection lost before then leaves the
 * read to the primary, and anything else that goes wrong before then hands the execute to the JDBC path. The packets
 * of one read from the backend go to the client as one {@link MySQLPacketBatch}: one write through the pipeline and
 * one buffer per response of a point select, not one per packet.
 *
 * <p>Backpressure: while the client's channel is not writable the backend connection is not read from.
 *
 * <p>Used from the client's event loop only, but for {@link #query}, which the session's worker calls.
 */
final class NativeReads {

    private static final Logger log = LoggerFactory.getLogger(NativeReads.class);

    /** Status flags a client may see from a backend response: transaction state and more results. */
    private static final int VISIBLE_STATUS = MySQLStatusFlag.SERVER_STATUS_AUTOCOMMIT.value()
            | MySQLStatusFlag.SERVER_STATUS_IN_TRANS.value() | MySQLStatusFlag.SERVER_MORE_RESULTS_EXISTS.value();
    /** Packets queued for the client at most before they are written (and flushed). */
    private static final int FLUSH_EVERY = 64;
    /** A packet this long or longer is a piece of a larger one, never an end-of-result marker. */
    private static final int MAX_EOF_LENGTH = 0xFFFFFF;

    private final Channel client;
    private final NativeBackends backends;
    private final BackendPools pools;
    private final Session session;
    private final StatementRecorder recorder;
    private final boolean deprecateEof;
    /** The running execute, or null. */
    private Relay running;
    private final NativeColumnPackets columnPackets;

    NativeReads(Channel client, NativeBackends backends, BackendPools pools, Session session, LogicalNames names,
                StatementRecorder recorder, boolean deprecateEof) {
        this.client = client;
        this.backends = backends;
        this.pools = pools;
        this.session = session;
        this.recorder = recorder;
        this.deprecateEof = deprecateEof;
        this.columnPackets = new NativeColumnPackets(names);
    }

    /** What the command handler learns of a native execute. */
    interface Outcome {
        /** The response is complete (or abandoned): the session's next commands may run. */
        void done();

        /** Nothing reached the client: the JDBC path must run the execute. */
        void fallBack();
    }

    /**
     * Starts the execute natively if the session allows it; false leaves it to the JDBC path. Call only while no
     * other command of the session runs or waits, and every earlier response has been written.
     */
    boolean start(PreparedStatementState state, List<Object> parameters, Outcome outcome) {
        Session.NativeRead read = session.nativeRead(state, parameters).orElse(null);
        return read != null && start(read, state, new Recorded(state.type(), state.sql()), outcome);
    }

    /**
     * Starts a COM_QUERY read natively, from the event loop, if the session lets it go without its worker
     * ({@link Session#nativeQuery}); false leaves it to the worker. Call as {@link #start(PreparedStatementState, List,
     * Outcome)}.
     */
    boolean startQuery(String sql, Outcome outcome) {
        Session.NativeRead read = session.nativeQuery(sql).orElse(null);
        return read != null && start(read, null, new Recorded(StatementType.of(sql), sql), outcome);
    }

    /**
     * Runs a text-protocol read natively, for the session's worker: on the client's event loop, while the worker
     * waits for its end, so it keeps its place among the session's commands (the worker's earlier responses were
     * handed to the event loop before this task, so this one follows them).
     *
     * @return false when nothing reached the client and the JDBC path must run the read
     */
    boolean query(Session.NativeRead read) {
        CompletableFuture<Boolean> answered = new CompletableFuture<>();
        Outcome outcome = new Outcome() {
            @Override
            public void done() {
                answered.complete(true);
            }

            @Override
            public void fallBack() {
                answered.complete(false);
            }
        };
        client.eventLoop().execute(() -> {
            try {
                if (!start(read, null, null, outcome)) {
                    answered.complete(false);
                }
            } catch (RuntimeException e) {
                answered.completeExceptionally(e);
            }
        });
        return answered.join();
    }

    /**
     * Starts the read on its target; false (its replica ended) when the JDBC path must run it.
     *
     * @param state    the client's prepared statement, or null for a text-protocol read (sent as COM_QUERY)
     * @param recorded the statement to record in the metrics, or null when the worker that waits for it records it
     */
    private boolean start(Session.NativeRead read, PreparedStatementState state, Recorded recorded, Outcome outcome) {
        NodeStatement node = read.statement();
        Runnable replicaDone = read.replica() == null ? () -> { } : read.replica().done();
        String group = node.node().shardGroup();
        GroupTopology roles = pools.roles(group);
        NativeTarget target = NativeCommands.bindable(node.parameters())
                ? (read.replica() == null ? primaryTarget(node, roles, read.sessionSets())
                        : replicaTarget(node, read.replica(), read.sessionSets())) : null;
        if (target == null || !client.isActive()) {
            replicaDone.run();
            return false;
        }
        if (recorded != null) {
            recorder.begin();
            recorder.routed(1);
        }
        run(new Relay(target, roles, state, recorded, node, outcome, replicaDone));
        return true;
    }

    /** The group's primary as the node's read's target, or null (the reason counted) when the JDBC path must run it. */
    private NativeTarget primaryTarget(NodeStatement node, GroupTopology roles, List<String> sessionSets) {
        DataSourceConfig primary = pools.primaryIfUp(node.node().shardGroup(), roles).orElse(null);
        if (primary == null) {
            backends.fellBack(roles.failingOver() ? NativeFallback.FAILOVER_RUNNING : NativeFallback.PRIMARY_DOWN);
            return null;
        }
        return supported(new NativeTarget(node.node().shardGroup(), NativeTarget.PRIMARY, primary.host(),
                primary.port(), primary.user(), primary.password(), node.node().database(), deprecateEof, sessionSets));
    }

    private NativeTarget replicaTarget(NodeStatement node, BackendPools.ChosenReplica replica, List<String> sessionSets) {
        DataSourceConfig source = replica.source();
        return supported(new NativeTarget(node.node().shardGroup(), replica.index(), source.host(), source.port(),
                source.user(), source.password(), node.node().database(), deprecateEof, sessionSets));
    }

    /** The target, or null (counted) when its server asks for a login this client does not speak. */
    private NativeTarget supported(NativeTarget target) {
        if (!backends.supports(target.host(), target.port())) {
            backends.fellBack(NativeFallback.UNSUPPORTED_AUTH);
            return null;
        }
        return target;
    }

    /** Runs the relay's read on a connection to its target from this event loop's idle ones, or a new one. */
    private void run(Relay relay) {
        running = relay;
        NativeTarget target = relay.target;
        Future<NativeConnection> connection = backends.acquire(client.eventLoop(), target,
                target.primary() ? pools.primaryWaitMs(target.group()) : pools.replicaWaitMs(target.group()));
        if (connection.isDone()) {
            relay.connected(connection);
        } else {
            connection.addListener(f -> relay.connected(connection));
        }
    }

    /** The client can take more: resume reading the backend. */
    void clientWritable() {
        if (running != null && running.connection != null && client.isWritable()) {
            running.connection.channel().config().setAutoRead(true);
        }
    }

    /** The client left: the running execute's backend connection is closed (its result is not read on). */
    void clientGone() {
        if (running != null) {
            running.abandon();
        }
    }

    /** A statement as the metrics record it. */
    private record Recorded(StatementType type, String sql) {
    }

    /** The packets of one execute's response, from the backend to the client. */
    private final class Relay implements NativeConnection.Response {
        private final NativeTarget target;
        /** The group's roles the target was taken from. */
        private final GroupTopology roles;
        /** The client's prepared statement, or null for a text-protocol read. */
        private final PreparedStatementState clientStatement;
        /** What the metrics record at the end, or null when the worker waiting for the read records it. */
        private final Recorded recorded;
        private final NodeStatement node;
        private final Outcome outcome;
        /** Ends the read on its replica (the balancer's count); nothing for the primary. Run once, at the end. */
        private final Runnable replicaDone;
        private NativeConnection connection;
        private boolean ended;
        /** Whether a KILL QUERY was sent for it: its connection is then closed at the end, never pooled. */
        private boolean killed;
        /**
         * Whether the response reached its first row, its end or an error: from then on packets go to the client
         * and a failure is answered, not retried. The column definitions before it are held back, so a connection
         * lost before the first row leaves the read to another path, as on the JDBC path.
         */
        private boolean answered;
        private int columns = -1;
        private int columnsSeen;
        private boolean columnsEnded;
        /** The session's results charset when the response began. */
        private Optional<ResultsCharset> results;
        /** The backend's collation id and type of each column, read from their definitions. */
        private int[] collations;
        private int[] types;
        /** How rows are converted for the client: set once the definitions ended. */
        private ResultTranscoder transcoder;
        /** Packets for the client not yet written, or null. */
        private MySQLPacketBatch pending;
        /** Bytes of the relayed payloads in {@link #pending}. */
        private int pendingBytes;

        Relay(NativeTarget target, GroupTopology roles, PreparedStatementState clientStatement, Recorded recorded,
              NodeStatement node, Outcome outcome, Runnable replicaDone) {
            this.target = target;
            this.roles = roles;
            this.clientStatement = clientStatement;
            this.recorded = recorded;
            this.node = node;
            this.outcome = outcome;
            this.replicaDone = replicaDone;
        }

        void connected(Future<NativeConnection> future) {
            if (ended) {
                if (future.isSuccess()) {
                    future.getNow().close();
                }
                return;
            }
            if (!future.isSuccess() && !target.primary()
                    && NativeFallback.ofOpenFailure(future.cause()) == NativeFallback.CONNECT_FAILED) {
                // As the JDBC path does when it gets no connection to a replica that is gone or refuses logins.
                String failure = future.cause() instanceof Exception e ? FailureMessage.firstLine(e)
                        : future.cause().toString();
                pools.suspendReplica(target.group(), target.replica(), "native connection: " + failure);
                readFromPrimary("no native connection to replica " + target.address() + " of shard group "
                        + target.group() + " (" + failure + ")");
                return;
            }
            if (!future.isSuccess()) {
                log.debug("native connection to {} failed; the JDBC path runs the statement", target.address(),
                        future.cause());
                fallBack(NativeFallback.ofOpenFailure(future.cause()));
                return;
            }
            connection = future.getNow();
            session.runningNatively(this::cancel);
            if (clientStatement == null) {
                send(MySQLSequenceReset.COMMAND_RESPONSE);
                connection.query(node.sql(), this);
                return;
            }
            NativeConnection.Statement statement = connection.statement(node.sql());
            if (statement != null) {
                execute(statement);
                return;
            }
            connection.prepare(node.sql(), (prepared, error) -> {
                if (ended) {
                    return;
                }
                if (prepared == null) {
                    // The JDBC path prepares it too, and answers its error as always.
                    log.debug("native prepare on {} failed; the JDBC path runs the statement: {}", target.address(),
                            error.message());
                    fallBack(error.errorCode() == NativeConnection.LOST ? NativeFallback.LOST_BEFORE_ANSWER
                            : NativeFallback.PREPARE_FAILED);
                } else {
                    execute(prepared);
                }
            });
        }

        private void execute(NativeConnection.Statement statement) {
            if (statement.parameterCount() != node.parameters().size()) {
                fallBack(NativeFallback.PARAMETER_MISMATCH);
                return;
            }
            send(MySQLSequenceReset.COMMAND_RESPONSE);
            connection.execute(statement, node.parameters(), this);
        }

        @Override
        public boolean packet(ByteBuf payload) {
            if (ended) {
                payload.release();
                return true;
            }
            int header = payload.getUnsignedByte(payload.readerIndex());
            if (header == MySQLErrPacket.HEADER) {
                MySQLErrPacket error = MySQLErrPacket.read(new MySQLPayload(payload));
                payload.release();
                answered = true;
                recorder.failed(error.errorCode());
                send(new MySQLErrPacket(error.errorCode(), error.sqlState(), error.message()));
                return true;
            }
            if (columns < 0) {
                return first(payload, header);
            }
            if (!columnsEnded) {
                return columnPart(payload);
            }
            if (header == MySQLEofPacket.HEADER && payload.readableBytes() < MAX_EOF_LENGTH) {
                int status = endStatus(payload);
                payload.release();
                answered = true;
                writeEnd(status);
                return true;
            }
            answered = true;
            send(clientStatement != null ? transcoder.binaryRow(payload, types) : transcoder.textRow(payload));
            // Written at the high water mark at the latest: the writability check below sees the large rows.
            if (pending.size() >= FLUSH_EVERY || pendingBytes >= client.config().getWriteBufferHighWaterMark()) {
                flush();
            }
            if (!client.isWritable()) {
                // Paused before the flush: a flush that drains the client's buffer fires its writability event (and
                // clientWritable's resume) at once, and a pause after it would never be lifted.
                connection.channel().config().setAutoRead(false);
                flush();
            }
            return false;
        }

        private boolean first(ByteBuf payload, int header) {
            if (header == MySQLOKPacket.HEADER) {
                answered = true;
                MySQLOKPacket ok = MySQLOKPacket.read(new MySQLPayload(payload));
                payload.release();
                send(new MySQLOKPacket(ok.affectedRows(), ok.lastInsertId(), ok.statusFlags() & VISIBLE_STATUS, 0, ""));
                return true;
            }
            columns = (int) new MySQLPayload(payload.duplicate()).readIntLenenc();
            results = session.resultsCharset();
            collations = new int[columns];
            types = new int[columns];
            send(payload);
            return false;
        }

        private boolean columnPart(ByteBuf payload) {
            if (columnsSeen < columns) {
                NativeColumnPackets.Column column = columnPackets.clientColumn(payload, results);
                collations[columnsSeen] = column.collation();
                types[columnsSeen] = column.type();
                send(column.payload());
                columnsSeen++;
                if (columnsSeen == columns) {
                    transcoder = ResultTranscoder.of(collations, results);
                }
                columnsEnded = columnsSeen == columns && deprecateEof;
                return false;
            }
            // The EOF after the definitions (clients without CLIENT_DEPRECATE_EOF).
            int status = endStatus(payload);
            payload.release();
            send(new MySQLEofPacket(0, status));
            columnsEnded = true;
            return false;
        }

        /** The status flags of an EOF, or of an OK ending a result (CLIENT_DEPRECATE_EOF), as a client may see them. */
        private int endStatus(ByteBuf payload) {
            MySQLPayload reader = new MySQLPayload(payload.duplicate());
            reader.readInt1();
            if (deprecateEof) {
                reader.readIntLenenc();
                reader.readIntLenenc();
                return reader.readInt2() & VISIBLE_STATUS;
            }
            reader.readInt2();
            return reader.readInt2() & VISIBLE_STATUS;
        }

        private void writeEnd(int status) {
            send(deprecateEof ? MySQLOKPacket.endOfResultSet(0, status) : new MySQLEofPacket(0, status));
        }

        @Override
        public void completed() {
            if (!ended) {
                backends.executed();
                finish(true);
            }
        }

        @Override
        public void readComplete() {
            if (pending != null && answered) {
                flush();
            }
        }

        /** Queues a packet for the client; a {@link ByteBuf} payload now belongs to the queue. */
        private void send(Object packet) {
            if (pending == null) {
                pending = new MySQLPacketBatch();
            }
            pending.add(packet);
            if (packet instanceof ByteBuf payload) {
                pendingBytes += payload.readableBytes();
            }
        }

        private void flush() {
            if (pending != null) {
                client.write(pending, client.voidPromise());
                pending = null;
                pendingBytes = 0;
            }
            client.flush();
        }

        @Override
        public void lost(String reason) {
            if (ended) {
                return;
            }
            if (!answered && !target.primary()) {
                readFromPrimary("lost the native connection to replica " + target.address() + " of shard group "
                        + target.group() + " before the first row (" + reason + ")");
                return;
            }
            if (!answered) {
                log.debug("native connection to {} lost before the first row ({}); the JDBC path runs the statement",
                        target.address(), reason);
                fallBack(NativeFallback.LOST_BEFORE_ANSWER);
                return;
            }
            String message = "Lost the connection to shard group " + target.group() + " (" + target.address() + "): "
                    + reason;
            recorder.failed(MySQLErrorCode.ER_UNKNOWN_ERROR.errorCode());
            send(new MySQLErrPacket(MySQLErrorCode.ER_UNKNOWN_ERROR.errorCode(),
                    MySQLErrorCode.ER_UNKNOWN_ERROR.sqlState(), message));
            finish(false);
        }

        /**
         * The replica gave no connection, or its connection was lost before the first row: the read runs on the
         * group's primary instead, as a replica read on the JDBC path does.
         */
        private void readFromPrimary(String what) {
            log.warn("session {}: {}; reading from the primary", session.id(), what);
            discardPending();
            if (connection != null) {
                connection.close();
            }
            end();
            GroupTopology now = pools.roles(target.group());
            NativeTarget primary = primaryTarget(node, now, target.sessionSets());
            if (primary == null) {
                outcome.fallBack();
                return;
            }
            run(new Relay(primary, now, clientStatement, recorded, node, outcome, () -> { }));
        }

        /**
         * KILL QUERY for the backend statement, as Connector/J cancels: on a connection of its own. Called from another
         * session's thread, it decides on the client's event loop whether the read still runs; the connection it
         * kills is closed when the read ends, never pooled, because a KILL that reaches the server after the read
         * ended would stop that connection's next statement, another client's.
         */
        private void cancel() {
            client.eventLoop().execute(() -> {
                NativeConnection runningOn = connection;
                if (ended || runningOn == null) {
                    return;
                }
                killed = true;
                long threadId = runningOn.threadId();
                Thread.ofVirtual().name("shardwire-native-cancel").start(() -> {
                    try (BackendConnection other = target.primary() ? pools.primaryConnection(target.group(), false)
                            : pools.connectionToReplica(target.group(), target.replica());
                         Statement kill = other.jdbc().createStatement()) {
                        kill.execute("KILL QUERY " + threadId);
                    } catch (Exception e) {
                        log.debug("KILL QUERY {} on {} failed", threadId, target.address(), e);
                    }
                });
            });
        }

        void abandon() {
            if (ended) {
                return;
            }
            if (connection != null) {
                connection.close();
            }
            finish(false);
        }

        private void fallBack(NativeFallback reason) {
            backends.fellBack(reason);
            discardPending();
            if (connection != null) {
                backends.release(client.eventLoop(), connection, !killed);
            }
            end();
            outcome.fallBack();
        }

        /** Drops what was held for the client (the sequence reset, column definitions): another path answers. */
        private void discardPending() {
            if (pending != null) {
                pending.release();
                pending = null;
                pendingBytes = 0;
            }
        }

        private void finish(boolean reusable) {
            flush();
            if (connection != null) {
                connection.channel().config().setAutoRead(true);
                if (reusable && !killed) {
                    backends.release(client.eventLoop(), connection, current());
                } else {
                    connection.close();
                }
            }
            end();
            if (recorded != null) {
                recorder.end(recorded.type(), recorded.sql());
            }
            outcome.done();
        }

        private void end() {
            if (!ended) {
                replicaDone.run();
            }
            ended = true;
            running = null;
            session.runningNatively(null);
        }

        /**
         * Whether the target is still the group's primary: its roles unchanged since the start, so no failover began
         * or promoted another source meanwhile. A primary marked DOWN meanwhile keeps the connection that just
         * answered; the next execute asks the health before using it, and a failover's new target drops it.
         */
        private boolean current() {
            return pools.roles(target.group()) == roles;
        }
    }
}
