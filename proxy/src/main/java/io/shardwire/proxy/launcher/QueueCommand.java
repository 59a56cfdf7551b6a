package io.shardwire.proxy.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code shardwire queue}: tools that read the proxy's durable queue over its HTTP port. */
@Command(name = "queue",
        mixinStandardHelpOptions = true,
        description = "Read the proxy's durable queue over its HTTP port.",
        subcommands = QueueTailCommand.class)
final class QueueCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: tail");
    }
}
