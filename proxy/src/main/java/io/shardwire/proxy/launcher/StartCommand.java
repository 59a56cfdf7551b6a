package io.shardwire.proxy.launcher;

import io.shardwire.config.ConfigLoader;
import io.shardwire.proxy.ShardwireServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shardwire start --config FILE}: runs the proxy against the shard groups the file names. */
@Command(name = "start", description = "Start the proxy with a configuration file.")
final class StartCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the YAML configuration")
    Path file;

    @Override
    public Integer call() throws Exception {
        ShardwireServer server = ShardwireServer.start(ConfigLoader.load(file));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shardwire-shutdown"));
        System.out.printf("Shardwire listening on %s:%d (MySQL) and :%d (HTTP)%n",
                server.config().server().host(), server.port(), server.httpPort());
        stopped.await();
        return 0;
    }
}
