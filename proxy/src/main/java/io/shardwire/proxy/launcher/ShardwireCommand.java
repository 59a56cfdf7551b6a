package io.shardwire.proxy.launcher;

import io.shardwire.config.ConfigException;
import io.shardwire.embedded.EmbeddedClusterException;
import io.netty.util.ResourceLeakDetector;
import io.shardwire.proxy.ShardwireServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code shardwire}: the launcher's top command; the work is in its subcommands. */
@Command(name = "shardwire",
        mixinStandardHelpOptions = true,
        version = "Shardwire 0.1.0",
        description = "MySQL-wire sharding proxy with binlog change-data-capture.",
        subcommands = {DemoCommand.class, StartCommand.class, ShardsCommand.class, CheckConfigCommand.class, QueueCommand.class})
public final class ShardwireCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing command: demo, start, shards, check-config or queue");
    }

    /**
     * Netty's buffer leak detector (level {@code simple} unless told otherwise) records a stack trace of one buffer in
     * 128 and of its every release: a cost per query that a production proxy does not pay. The tests keep it (they do
     * not start through here); {@code -Dio.netty.leakDetection.level=simple} (or {@code paranoid}) turns it back on.
     */
    private static void disableLeakDetectionUnlessAsked() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /**
     * Start-up failures that already say what and where (bad config, port in use, a MariaDB server
     * that would not start) are printed as one message; anything else keeps its stack trace.
     */
    private static int explain(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof ConfigException || e instanceof ShardwireServer.ServerStartException
                || e instanceof EmbeddedClusterException) {
            commandLine.getErr().println("shardwire: " + e.getMessage());
            return 1;
        }
        throw e;
    }

    /** Entry point of the launcher. */
    public static void main(String[] args) {
        disableLeakDetectionUnlessAsked();
        int exit = new CommandLine(new ShardwireCommand())
                .setExecutionExceptionHandler(ShardwireCommand::explain)
                .execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }
}
