package io.shardwire.proxy.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code shardwire}: the launcher's top command; the work is in its subcommands. */
@Command(name = "shardwire",
        mixinStandardHelpOptions = true,
        version = "Shardwire 0.1.0",
        description = "MySQL-wire sharding proxy with binlog change-data-capture.",
        subcommands = {DemoCommand.class, StartCommand.class, CheckConfigCommand.class})
public final class ShardwireCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: demo, start or check-config");
    }

    /** Entry point of the launcher. */
    public static void main(String[] args) {
        int exit = new CommandLine(new ShardwireCommand()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }
}
