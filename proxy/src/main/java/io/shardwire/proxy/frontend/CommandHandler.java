package io.shardwire.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.shardwire.proxy.admin.AdminHook;
import io.shardwire.proxy.cdc.DdlHold;
import io.shardwire.proxy.metrics.StatementRecorder;
import io.shardwire.proxy.metrics.StatementType;
import io.shardwire.proxy.protocol.MySQLPacketCodec;
import io.shardwire.proxy.protocol.MySQLPacketTooLarge;
import io.shardwire.proxy.protocol.MySQLPayload;
import io.shardwire.proxy.protocol.MySQLProtocolException;
import io.shardwire.proxy.protocol.binary.MySQLBinaryParameters;
import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import io.shardwire.proxy.protocol.packet.command.MySQLComChangeUserPacket;
import io.shardwire.proxy.protocol.packet.command.MySQLComInitDbPacket;
import io.shardwire.proxy.protocol.packet.command.MySQLComQueryPacket;
import io.shardwire.proxy.protocol.packet.command.MySQLComStmtExecutePacket;
import io.shardwire.proxy.protocol.packet.command.MySQLComStmtIdPacket;
import io.shardwire.proxy.protocol.packet.command.MySQLComStmtPreparePacket;
import io.shardwire.proxy.protocol.packet.command.MySQLComStmtSendLongDataPacket;
import io.shardwire.proxy.protocol.packet.command.MySQLCommandType;
import io.shardwire.proxy.protocol.packet.generic.MySQLErrPacket;
import io.shardwire.proxy.session.ClientGoneException;
import io.shardwire.proxy.session.KillStatement;
import io.shardwire.proxy.session.PreparedStatementState;
import io.shardwire.proxy.session.Responder;
import io.shardwire.proxy.session.Session;
import io.shardwire.proxy.session.SessionError;
import io.shardwire.proxy.session.StatementSplitter;
import io.shardwire.router.rule.LogicalNames;
import io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.List;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command phase: decodes each client command on the event loop, then runs it on the
 * session's {@link SerialExecutor} (a virtual thread), never blocking the event loop. The channel
 * keeps reading while a command runs, so a client that disconnects is noticed at once and its
 * statement stopped; a client that pipelines more than {@value #MAX_QUEUED_COMMANDS} commands
 * is not read from until the queue drains, so it cannot queue unbounded work.
 *
 * <p>COM_CHANGE_USER ends this handler's session (its transaction rolled back, its backend connections reset and
 * returned, its prepared statements and variables gone) once the commands before it are done, then hands the
 * connection to an authentication handler for the new user, which starts a new session and command handler.
 *
 * <p>Bad input policy: an unknown command gets ERR 1047 and a malformed one ERR 1835, and the
 * connection stays usable; an oversize packet gets ERR 1153 and the connection is closed, as MySQL does.
 */
final class CommandHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);

    private final Session session;
    private final SerialExecutor executor;
    private final PacketChannel out;
    private final PacketResponder responder;
    private final Charset charset;
    private final ServerStatistics statistics;
    private final AtomicInteger queued = new AtomicInteger();
    private final Duration idleTimeout;
    private IdleTimeout idle;

    /** Commands a client may send ahead of their answers before the proxy stops reading from it. */
    static final int MAX_QUEUED_COMMANDS = 16;

    /** COM_SET_OPTION's MYSQL_OPTION_MULTI_STATEMENTS_ON and _OFF. */
    private static final int MULTI_STATEMENTS_ON = 0;
    private static final int MULTI_STATEMENTS_OFF = 1;

    private final StatementRecorder recorder;
    private final AdminHook admin;
    private final DdlHold ddlHold;
    private final int clientCapabilities;
    /** The sequence id the answer to the command being dispatched starts at (event loop only). */
    private int responseStart = 1;
    /** Whether a COM_QUERY may hold several statements: the client's capability, then its COM_SET_OPTION (worker only). */
    private boolean multiStatements;
    private final Login login;
    /** Set once a COM_CHANGE_USER ended this handler's session: what the client sends meanwhile is dropped. */
    private boolean handedOver;
    /** The native path for prepared reads, or null when it is off. */
    private final NativeReads nativeReads;
    /** Whether an execute runs on the native path now (event loop only). */
    private boolean nativeBusy;
    /** Work for the session's worker that came while an execute ran natively, in order (event loop only). */
    private final ArrayDeque<Runnable> deferred = new ArrayDeque<>();

    /**
     * The login this handler serves: how its end is counted, and how a COM_CHANGE_USER is authenticated.
     */
    interface Login {
        /** Counts the login as ended (user connection limits, the session registry); runs once however often called. */
        void end();

        /** The handler that authenticates a change of user in place of the command handler. */
        ChannelHandler changeUser(MySQLComChangeUserPacket request);
    }

    CommandHandler(Session session, SerialExecutor executor, PacketChannel out, int clientCapabilities, Charset charset,
                   ServerStatistics statistics, LogicalNames names, StatementRecorder recorder, AdminHook admin,
                   DdlHold ddlHold, Duration idleTimeout, Login login, NativeReadsFactory nativeReads) {
        this.clientCapabilities = clientCapabilities;
        this.multiStatements = MySQLCapabilityFlag.CLIENT_MULTI_STATEMENTS.isSet(clientCapabilities);
        this.login = login;
        this.statistics = statistics;
        this.recorder = recorder;
        this.admin = admin;
        this.ddlHold = ddlHold;
        this.idleTimeout = idleTimeout;
        this.session = session;
        this.executor = executor;
        this.out = out;
        this.charset = charset;
        this.nativeReads = nativeReads.create(names, recorder,
                MySQLCapabilityFlag.CLIENT_DEPRECATE_EOF.isSet(clientCapabilities));
        this.responder = new PacketResponder(out, clientCapabilities, names, recorder, this.nativeReads,
                session.rowCount(), session::resultsCharset);
    }

    /** Makes the connection's native path, or returns null when the native backend path is off. */
    @FunctionalInterface
    interface NativeReadsFactory {
        NativeReads create(LogicalNames names, StatementRecorder recorder, boolean deprecateEof);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        idle = new IdleTimeout(ctx.channel(), idleTimeout, () -> queued.get() == 0);
        idle.start();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        idle.disarm();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        idle.disarm();
        if (handedOver) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (msg instanceof MySQLPacketTooLarge tooLarge) {
                ctx.writeAndFlush(MySQLErrPacket.of(MySQLErrorCode.ER_NET_PACKET_TOO_LARGE))
                        .addListener(f -> ctx.close());
                return;
            }
            if (msg instanceof ByteBuf buffer) {
                // A command of 16 MB or more came in several pieces, numbered from 0: the answer continues after them.
                responseStart = (buffer.readableBytes() / MySQLPacketCodec.MAX_PIECE_LENGTH + 1) & 0xFF;
                dispatch(ctx, new MySQLPayload(buffer));
            }
        } catch (MySQLProtocolException e) {
            run(ctx, () -> SessionError.of(MySQLErrorCode.ER_MALFORMED_PACKET, e.getMessage()).sendTo(responder));
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void dispatch(ChannelHandlerContext ctx, MySQLPayload payload) {
        int code = payload.readInt1();
        MySQLCommandType type = MySQLCommandType.of(code).orElse(null);
        switch (type) {
            case COM_QUIT -> ctx.close();
            case COM_PING -> run(ctx, () -> responder.ok(0, 0, session.statusFlags()));
            case COM_RESET_CONNECTION -> run(ctx, () -> session.resetConnection(responder));
            case COM_PROCESS_KILL -> {
                long connectionId = Integer.toUnsignedLong(payload.readInt4());
                run(ctx, () -> session.kill(new KillStatement(false, connectionId), responder));
            }
            case COM_FIELD_LIST -> {
                String table = payload.readStringNul(charset);
                run(ctx, () -> session.fieldList(table, responder));
            }
            case COM_SET_OPTION -> {
                int option = payload.readInt2();
                run(ctx, () -> {
                    if (option == MULTI_STATEMENTS_ON || option == MULTI_STATEMENTS_OFF) {
                        multiStatements = option == MULTI_STATEMENTS_ON;
                        responder.optionSet(session.statusFlags());
                    } else {
                        SessionError.of(MySQLErrorCode.ER_UNKNOWN_COM_ERROR).sendTo(responder);
                    }
                });
            }
            case COM_STATISTICS -> run(ctx, () -> responder.statistics(statistics.line()));
            case COM_CHANGE_USER -> changeUser(ctx, MySQLComChangeUserPacket.read(payload, clientCapabilities, charset));
            case COM_QUERY -> {
                statistics.question();
                MySQLComQueryPacket query = MySQLComQueryPacket.read(payload);
                if (!startQueryNatively(ctx, query)) {
                    runQuery(ctx, query);
                }
            }
            case COM_INIT_DB -> {
                String schema = MySQLComInitDbPacket.read(payload, charset).schema();
                run(ctx, () -> session.useSchema(schema, responder));
            }
            case COM_STMT_PREPARE -> {
                MySQLComStmtPreparePacket prepare = MySQLComStmtPreparePacket.read(payload);
                run(ctx, () -> {
                    String sql = textOf(prepare::text, prepare.sql());
                    if (sql == null) {
                        return;
                    }
                    // A statement is prepared alone: MariaDB never prepares several, whatever the client's option.
                    List<StatementSplitter.Part> parts = statements(sql);
                    if (parts.size() > 1) {
                        StatementSplitter.syntaxErrorAt(sql, parts.get(1)).sendTo(responder);
                    } else {
                        session.prepare(sql, responder);
                    }
                });
            }
            case COM_STMT_EXECUTE -> {
                statistics.question();
                // Parameters are decoded on the worker: they depend on the statement, which a prepare
                // still queued there may be creating.
                MySQLComStmtExecutePacket execute = MySQLComStmtExecutePacket.read(payload);
                ByteBuf parameterBlock = payload.byteBuf().retainedSlice();
                if (!startNatively(ctx, execute, parameterBlock)) {
                    runExecute(ctx, execute, parameterBlock);
                }
            }
            case COM_STMT_SEND_LONG_DATA -> {
                MySQLComStmtSendLongDataPacket data = MySQLComStmtSendLongDataPacket.read(payload);
                runWithoutResponse(() -> session.appendLongData(data.statementId(), data.parameter(), data.data()));
            }
            case COM_STMT_CLOSE -> {
                long statementId = MySQLComStmtIdPacket.read(payload).statementId();
                runWithoutResponse(() -> session.closePrepared(statementId));
            }
            case COM_STMT_RESET -> {
                long statementId = MySQLComStmtIdPacket.read(payload).statementId();
                run(ctx, () -> session.resetPrepared(statementId, responder));
            }
            case COM_STMT_FETCH -> {
                long statementId = MySQLComStmtIdPacket.read(payload).statementId();
                // Cursors are declined at execute (rows come at once), so there is never one to fetch from.
                run(ctx, () -> SessionError.of(MySQLErrorCode.ER_STMT_HAS_NO_OPEN_CURSOR, statementId).sendTo(responder));
            }
            case null, default -> run(ctx, () -> SessionError.of(MySQLErrorCode.ER_UNKNOWN_COM_ERROR).sendTo(responder));
        }
    }

    private void runQuery(ChannelHandlerContext ctx, MySQLComQueryPacket query) {
        run(ctx, () -> {
            String sql = textOf(query::text, query.sql());
            if (sql == null) {
                return;
            }
            // With multi-statements on, comments after the last semicolon are a statement of their own (an OK).
            List<StatementSplitter.Part> parts = multiStatements && StatementSplitter.maySplit(sql)
                    ? StatementSplitter.split(sql) : statements(sql);
            if (parts.size() == 1) {
                runStatement(sql, responder);
            } else if (!multiStatements) {
                StatementSplitter.syntaxErrorAt(sql, parts.get(1)).sendTo(responder);
            } else {
                runStatements(sql, parts);
            }
        });
    }

    /**
     * The statements of a COM_QUERY or COM_STMT_PREPARE text: one, the whole text, when no semicolon separates
     * statements, or when only comments follow the first (MariaDB reads those as the statement's end).
     */
    private static List<StatementSplitter.Part> statements(String sql) {
        if (!StatementSplitter.maySplit(sql)) {
            return List.of(new StatementSplitter.Part(sql, 0));
        }
        List<StatementSplitter.Part> parts = StatementSplitter.split(sql);
        return parts.size() == 2 && parts.getLast().commentsOnly() && !parts.getFirst().commentsOnly()
                ? List.of(new StatementSplitter.Part(sql, 0)) : parts;
    }

    /**
     * A multi-statement COM_QUERY, as MariaDB runs one: each statement in turn, every result but the last saying that
     * more follow; the first error ends the response, and no later statement runs. A part of comments only answers OK
     * where it is last, and a syntax error elsewhere (an empty statement between two semicolons).
     */
    private void runStatements(String sql, List<StatementSplitter.Part> parts) throws ClientGoneException {
        for (int i = 0; i < parts.size(); i++) {
            StatementSplitter.Part part = parts.get(i);
            boolean last = i == parts.size() - 1;
            MultiStatementResponder to = new MultiStatementResponder(responder, last);
            if (!part.commentsOnly()) {
                runStatement(part.sql(), to);
            } else if (last) {
                to.ok(0, 0, session.statusFlags());
            } else {
                StatementSplitter.syntaxErrorAt(sql, part).sendTo(to);
            }
            if (to.failed()) {
                return;
            }
        }
    }

    private void runStatement(String sql, Responder to) throws ClientGoneException {
        measured(sql, () -> {
            if (!admin.answered(sql, to, session.statusFlags()) && !refusedByDdlHold(sql, to)) {
                session.query(sql, to);
            }
        });
    }

    /**
     * Runs a COM_QUERY read on the native path from this event loop, as {@link #startNow} an execute, if nothing of
     * the session runs or waits on its worker, every earlier response is written, and the session lets it go without
     * its worker ({@link Session#nativeQuery}: a read whose shape it has planned before). The worker runs it otherwise,
     * and may still relay it natively, waiting for it.
     *
     * @return false when the query is left to the worker
     */
    private boolean startQueryNatively(ChannelHandlerContext ctx, MySQLComQueryPacket query) {
        if (nativeReads == null || nativeBusy || responseStart != 1 || queued.get() != 0 || !executor.idle()
                || !out.drained()) {
            return false;
        }
        // No admin statement can start here: those are SHOW or RELOAD, and nativeQuery takes only a SELECT.
        String sql = query.text(clientCharset()).orElse(null);
        if (sql == null || StatementSplitter.maySplit(sql) && StatementSplitter.split(sql).size() > 1) {
            return false;
        }
        nativeBusy = true;
        boolean started = nativeReads.startQuery(sql, nativeOutcome(() -> { }, () -> runQuery(ctx, query)));
        if (!started) {
            nativeBusy = false;
        }
        return started;
    }

    private void runExecute(ChannelHandlerContext ctx, MySQLComStmtExecutePacket execute, ByteBuf parameterBlock) {
        run(ctx, () -> {
            Optional<PreparedStatementState> state = session.preparedStatement(execute.statementId());
            measured(state.map(PreparedStatementState::type).orElse(StatementType.OTHER),
                    state.map(PreparedStatementState::sql).orElse(""), () -> executePrepared(execute, parameterBlock));
        });
    }

    /**
     * Runs a prepared execute on the native path, on this event loop, once nothing of the session runs or waits on
     * its worker (so the session may be read here) and every earlier response is written (so this one follows
     * them); until it ends, the worker's next tasks wait in {@link #deferred}. An execute that comes while the worker
     * still finishes an earlier command waits for it: a client sends its execute as soon as the prepare's answer
     * arrives, which may be before the worker that wrote the answer has returned.
     *
     * @return false when the execute is left to the worker
     */
    private boolean startNatively(ChannelHandlerContext ctx, MySQLComStmtExecutePacket execute, ByteBuf parameterBlock) {
        if (nativeReads == null || nativeBusy || responseStart != 1) {
            return false;
        }
        if (queued.get() != 0 || !executor.idle() || !out.drained()) {
            afterWorker(ctx, execute, parameterBlock);
            return true;
        }
        return startNow(ctx, execute, parameterBlock);
    }

    /**
     * Starts the execute natively once the worker has done everything submitted before it; meanwhile later commands
     * wait in {@link #deferred}, so they keep their order behind it whichever path it takes.
     */
    private void afterWorker(ChannelHandlerContext ctx, MySQLComStmtExecutePacket execute, ByteBuf parameterBlock) {
        nativeBusy = true;
        executor.execute(() -> ctx.executor().execute(() -> {
            // Nothing else is on the worker now: what waits since came to deferred.
            nativeBusy = false;
            if (!ctx.channel().isActive()) {
                parameterBlock.release(); // the client left: nothing to answer
                nativeEnded();
            } else if (!out.drained() || !startNow(ctx, execute, parameterBlock)) {
                runExecute(ctx, execute, parameterBlock);
                nativeEnded();
            }
        }));
    }

    /** Starts the execute natively if the session lets it (nothing runs on its worker); false leaves it to the worker. */
    private boolean startNow(ChannelHandlerContext ctx, MySQLComStmtExecutePacket execute, ByteBuf parameterBlock) {
        PreparedStatementState state = session.preparedStatement(execute.statementId()).orElse(null);
        if (state == null) {
            return false;
        }
        MySQLBinaryParameters parameters;
        try {
            parameters = MySQLBinaryParameters.read(new MySQLPayload(parameterBlock.duplicate()), state.parameterCount(),
                    state.boundTypes(), state.longData(), clientCharset());
        } catch (MySQLProtocolException e) {
            return false;
        }
        state.bindTypes(parameters.types());
        nativeBusy = true;
        boolean started = nativeReads.start(state, parameters.values(),
                nativeOutcome(parameterBlock::release, () -> runExecute(ctx, execute, parameterBlock)));
        if (!started) {
            nativeBusy = false;
        }
        return started;
    }

    /**
     * The end of a native read started from this event loop: {@code finished} runs once it is answered, or
     * {@code onWorker} runs the command on the worker, ahead of what came meanwhile; then the deferred commands run.
     */
    private NativeReads.Outcome nativeOutcome(Runnable finished, Runnable onWorker) {
        return new NativeReads.Outcome() {
            @Override
            public void done() {
                session.rowCount().rows();
                finished.run();
                nativeEnded();
            }

            @Override
            public void fallBack() {
                nativeBusy = false;
                onWorker.run();
                nativeEnded();
            }
        };
    }

    /** A native execute ended: the worker takes what waited, in order. */
    private void nativeEnded() {
        nativeBusy = false;
        Runnable next;
        while ((next = deferred.poll()) != null) {
            executor.execute(next);
        }
        if (queued.get() == 0) {
            idle.arm();
        }
    }

    /** Hands work to the session's worker, after the native execute if one runs. */
    private void submit(Runnable task) {
        if (nativeBusy) {
            deferred.add(task);
        } else {
            executor.execute(task);
        }
    }

    /**
     * Ends the session after the commands before it, then lets the new user's authentication take the connection
     * (its packets continue the change-user command's sequence ids, so no response begins here).
     */
    private void changeUser(ChannelHandlerContext ctx, MySQLComChangeUserPacket request) {
        handedOver = true;
        submit(() -> {
            session.close();
            login.end();
            ctx.executor().execute(() -> {
                if (ctx.channel().isActive() && ctx.pipeline().context(this) != null) {
                    ctx.pipeline().replace(this, "auth", login.changeUser(request));
                }
            });
        });
    }

    private void executePrepared(MySQLComStmtExecutePacket execute, ByteBuf parameterBlock) throws ClientGoneException {
        try {
            Optional<PreparedStatementState> statement = session.preparedStatement(execute.statementId());
            if (statement.isEmpty()) {
                SessionError.of(MySQLErrorCode.ER_UNKNOWN_STMT_HANDLER, execute.statementId(), "mysqld_stmt_execute")
                        .sendTo(responder);
                return;
            }
            PreparedStatementState state = statement.get();
            MySQLBinaryParameters parameters;
            try {
                parameters = MySQLBinaryParameters.read(new MySQLPayload(parameterBlock), state.parameterCount(),
                        state.boundTypes(), state.longData(), clientCharset());
            } catch (MySQLProtocolException e) {
                SessionError.of(MySQLErrorCode.ER_MALFORMED_PACKET, e.getMessage()).sendTo(responder);
                return;
            }
            state.bindTypes(parameters.types());
            // DDL may be prepared too (Connector/J with useServerPrepStmts): held like a COM_QUERY's.
            if (!refusedByDdlHold(state.sql(), responder)) {
                session.executePrepared(execute.statementId(), parameters.values(), responder);
            }
        } finally {
            parameterBlock.release();
        }
    }

    /** Waits while {@link DdlHold} holds {@code sql}; true after answering the error if it was refused. */
    private boolean refusedByDdlHold(String sql, Responder responder) throws ClientGoneException {
        Optional<String> held = ddlHold.await(sql);
        if (held.isPresent()) {
            SessionError.of(MySQLErrorCode.ER_UNKNOWN_ERROR, held.get()).sendTo(responder);
        }
        return held.isPresent();
    }

    /**
     * The statement text of a COM_QUERY / COM_STMT_PREPARE in the client's charset, or null after answering 1300 when
     * the bytes are not valid in it. Decoded on the worker, after the commands before it: a SET NAMES among them
     * changes the charset.
     */
    private String textOf(Function<Charset, Optional<String>> decoder, byte[] bytes) throws ClientGoneException {
        Charset clientCharset = clientCharset();
        Optional<String> text = decoder.apply(clientCharset);
        if (text.isEmpty()) {
            SessionError.of(MySQLErrorCode.ER_INVALID_CHARACTER_STRING, clientCharset.name(),
                    new String(bytes, 0, Math.min(bytes.length, 64), clientCharset)).sendTo(responder);
            return null;
        }
        return text.get();
    }

    /** The charset of the client's statements: the handshake's, until a SET NAMES changes it. */
    private Charset clientCharset() {
        return session.clientCharset().orElse(charset);
    }

    /** Runs a statement, recording its type, time, data nodes and error for the metrics and the slow-query log. */
    private void measured(String sql, Command statement) throws ClientGoneException {
        measured(StatementType.of(sql), sql, statement);
    }

    /** {@link #measured(String, Command)} for a statement whose type is known (a prepared one's). */
    private void measured(StatementType type, String sql, Command statement) throws ClientGoneException {
        recorder.begin();
        try {
            statement.run();
        } finally {
            recorder.end(type, sql);
        }
    }

    /** Runs a command that the protocol answers with nothing, in order with the others. */
    private void runWithoutResponse(Runnable command) {
        submit(() -> {
            command.run();
            if (queued.get() == 0) {
                idle.arm();
            }
        });
    }

    /** Runs a command on the session's worker; reads pause while too many wait there. */
    private void run(ChannelHandlerContext ctx, Command command) {
        if (queued.incrementAndGet() >= MAX_QUEUED_COMMANDS) {
            ctx.channel().config().setAutoRead(false);
        }
        int start = responseStart;
        submit(() -> {
            try {
                out.beginResponse(start);
                responder.allowNative(start == 1);
                command.run();
            } catch (ClientGoneException e) {
                log.debug("session {}: client left during a response", session.id());
            } catch (RuntimeException e) {
                log.warn("session {}: command failed unexpectedly", session.id(), e);
                try {
                    responder.error(MySQLErrorCode.ER_UNKNOWN_ERROR.errorCode(), MySQLErrorCode.ER_UNKNOWN_ERROR.sqlState(),
                            "Internal error in Shardwire: " + e);
                } catch (ClientGoneException gone) {
                    log.debug("session {}: client left before the error", session.id());
                }
            } finally {
                int stillQueued = queued.decrementAndGet();
                if (stillQueued < MAX_QUEUED_COMMANDS && !ctx.channel().config().isAutoRead()) {
                    ctx.channel().config().setAutoRead(true);
                }
                if (stillQueued == 0) {
                    idle.arm();
                }
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // A statement still running on a backend for a client that left is stopped, so that the
        // session's close (queued behind it) comes soon and the backend does no work for nobody.
        Thread.ofVirtual().name("shardwire-cancel-" + session.id()).start(session::cancelRunning);
        if (nativeReads != null) {
            nativeReads.clientGone();
        }
        submit(session::close);
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (nativeReads != null) {
            nativeReads.clientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("session {}: closing after {}", session.id(), cause.toString());
        ctx.close();
    }

    @FunctionalInterface
    private interface Command {
        void run() throws ClientGoneException;
    }
}
