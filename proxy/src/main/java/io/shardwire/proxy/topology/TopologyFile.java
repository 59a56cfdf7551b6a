package io.shardwire.proxy.topology;

import io.shardwire.config.ShardGroupConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code <dataDir>/topology.properties}: per shard group changed by a failover, its primary and fenced former
 * primaries by {@code host:port}, e.g. {@code g0.primary=127.0.0.1:3311} and {@code g0.fenced=127.0.0.1:3310}, and
 * the replicas it left stranded ({@code g0.stranded=127.0.0.1:3312}), which the proxy re-points when they return.
 * Replaced atomically (written to a temporary file, forced, renamed over the old one, directory forced), so a crash
 * leaves the old or the new topology, never a torn one. Groups it does not name use the configured primary.
 */
final class TopologyFile {

    static final String NAME = "topology.properties";

    private final Path file;

    TopologyFile(Path dataDir) {
        this.file = dataDir.resolve(NAME);
    }

    Path path() {
        return file;
    }

    /**
     * The stored topology of a group, if the file names it.
     *
     * @throws IllegalStateException if the file names an address that is not one of the group's data sources: the
     *     configuration changed under it, and guessing the primary could send writes to a fenced server
     */
    Optional<GroupTopology> read(ShardGroupConfig group) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties stored = new Properties();
        stored.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        String primary = stored.getProperty(group.name() + ".primary");
        if (primary == null) {
            return Optional.empty();
        }
        return Optional.of(new GroupTopology(sourceOf(group, primary.trim()), sources(stored, group, "fenced"),
                sources(stored, group, "stranded"), false));
    }

    private Set<Integer> sources(Properties stored, ShardGroupConfig group, String key) {
        Set<Integer> sources = new HashSet<>();
        for (String address : stored.getProperty(group.name() + "." + key, "").split(",")) {
            if (!address.isBlank()) {
                sources.add(sourceOf(group, address.trim()));
            }
        }
        return sources;
    }

    private int sourceOf(ShardGroupConfig group, String address) {
        for (int s = 0; s < group.sourceCount(); s++) {
            if (group.source(s).address().equals(address)) {
                return s;
            }
        }
        throw new IllegalStateException(file + " names " + address + " for shard group " + group.name()
                + ", which is not one of its configured data sources; make the configuration name it, or delete the"
                + " group's lines from the file to use the configured primary (see docs/operations.md, Failover)");
    }

    private static String addresses(ShardGroupConfig group, Set<Integer> sources) {
        return String.join(",", new TreeSet<>(sources).stream().map(s -> group.source(s).address()).toList());
    }

    /** Writes every group that is not on its configured primary or has fenced or stranded sources. */
    void write(List<ShardGroupConfig> groups, Map<String, GroupTopology> topologies) throws IOException {
        StringBuilder text = new StringBuilder(
                "# Written by Shardwire's failover; read at start. See docs/operations.md, Failover, to fail back.\n");
        for (ShardGroupConfig group : groups) {
            GroupTopology topology = topologies.get(group.name());
            if (topology.primary() == 0 && topology.fenced().isEmpty() && topology.stranded().isEmpty()) {
                continue;
            }
            text.append(group.name()).append(".primary=").append(group.source(topology.primary()).address()).append('\n');
            text.append(group.name()).append(".fenced=").append(addresses(group, topology.fenced())).append('\n');
            if (!topology.stranded().isEmpty()) {
                text.append(group.name()).append(".stranded=").append(addresses(group, topology.stranded()))
                        .append('\n');
            }
        }
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(NAME + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }
}
