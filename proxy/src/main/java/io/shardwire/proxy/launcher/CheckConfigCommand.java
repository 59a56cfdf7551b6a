package io.shardwire.proxy.launcher;

import io.shardwire.config.ConfigException;
import io.shardwire.config.ConfigLoader;
import io.shardwire.config.ShardwireConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code shardwire check-config FILE}: validates a configuration without starting anything. */
@Command(name = "check-config", description = "Validate a configuration file; exit 1 naming the key path if it is wrong.")
final class CheckConfigCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the YAML configuration")
    Path file;

    @Override
    public Integer call() {
        try {
            ShardwireConfig config = ConfigLoader.load(file);
            spec.commandLine().getOut().printf("%s: OK (%d shard groups, %d schemas, %d users)%n", file,
                    config.shardGroups().size(), config.schemas().size(), config.server().users().size());
            return 0;
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
    }
}
