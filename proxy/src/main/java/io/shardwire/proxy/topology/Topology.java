package io.shardwire.proxy.topology;

import io.shardwire.config.DataSourceConfig;
import io.shardwire.config.ShardGroupConfig;
import io.shardwire.config.ShardwireConfig;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The roles of every shard group's data sources now: the configured ones, or those a failover left (read from
 * {@code <dataDir>/topology.properties} at start, see {@link TopologyFile}).
 *
 * <p>Thread-safe: readers see one group's whole state at once; changes are serialized and persisted before they
 * take effect.
 */
public final class Topology {

    private static final Logger log = LoggerFactory.getLogger(Topology.class);

    private final List<ShardGroupConfig> groups;
    private final Map<String, ShardGroupConfig> byName = new LinkedHashMap<>();
    private final Map<String, GroupTopology> states = new ConcurrentHashMap<>();
    private final TopologyFile file;

    private Topology(ShardwireConfig config) {
        this.groups = config.shardGroups();
        this.file = new TopologyFile(config.dataDir());
    }

    /**
     * The topology of the configuration, with what the data dir's topology file says of the groups it names.
     *
     * @throws IOException           if the file cannot be read
     * @throws IllegalStateException if the file names a data source the configuration does not have
     */
    public static Topology load(ShardwireConfig config) throws IOException {
        Topology topology = new Topology(config);
        for (ShardGroupConfig group : config.shardGroups()) {
            topology.byName.put(group.name(), group);
            GroupTopology stored = topology.file.read(group).orElse(new GroupTopology(0, Set.of(), Set.of(), false));
            if (stored.primary() != 0) {
                log.warn("shard group {}: primary is {} (promoted by a failover, from {}), not the configured {};"
                        + " fenced: {}; stranded replicas: {}", group.name(), group.source(stored.primary()).address(),
                        topology.file.path(), group.primary().address(),
                        stored.fenced().stream().map(s -> group.source(s).address()).toList(),
                        stored.stranded().stream().map(s -> group.source(s).address()).toList());
            }
            topology.states.put(group.name(), stored);
        }
        return topology;
    }

    /** The group's roles now: every change replaces them, so the same instance means nothing changed since. */
    public GroupTopology of(String group) {
        GroupTopology state = states.get(group);
        if (state == null) {
            throw new IllegalArgumentException("no shard group " + group);
        }
        return state;
    }

    /** The group's primary now. */
    public DataSourceConfig primary(String group) {
        return byName.get(group).source(of(group).primary());
    }

    /** Marks a failover of the group as running: statements that need its primary wait for it. */
    public synchronized void beginFailover(String group) {
        GroupTopology now = of(group);
        states.put(group, new GroupTopology(now.primary(), now.fenced(), now.stranded(), true));
    }

    /** Marks the group's failover as over, whatever its outcome. */
    public synchronized void endFailover(String group) {
        GroupTopology now = of(group);
        states.put(group, new GroupTopology(now.primary(), now.fenced(), now.stranded(), false));
    }

    /**
     * Makes {@code source} the group's primary and fences the one before it; written to the topology file first, so
     * a restart keeps it.
     *
     * @param stranded replicas the failover cannot re-point (it did not reach them)
     * @throws IOException if the file cannot be written; nothing changes then
     */
    public synchronized void promote(String group, int source, Set<Integer> stranded) throws IOException {
        GroupTopology now = of(group);
        Set<Integer> fenced = new HashSet<>(now.fenced());
        fenced.add(now.primary());
        fenced.remove(source);
        Set<Integer> notFollowing = new HashSet<>(now.stranded());
        notFollowing.addAll(stranded);
        notFollowing.remove(source);
        change(group, new GroupTopology(source, fenced, notFollowing, now.failingOver()));
    }

    /**
     * Marks a replica as stranded (not following the primary) or, once re-pointed, as a follower again; written to
     * the topology file first.
     *
     * @throws IOException if the file cannot be written; nothing changes then
     */
    public synchronized void strand(String group, int source, boolean stranded) throws IOException {
        GroupTopology now = of(group);
        Set<Integer> notFollowing = new HashSet<>(now.stranded());
        if (stranded ? notFollowing.add(source) : notFollowing.remove(source)) {
            change(group, new GroupTopology(now.primary(), now.fenced(), notFollowing, now.failingOver()));
        }
    }

    private void change(String group, GroupTopology next) throws IOException {
        Map<String, GroupTopology> all = new LinkedHashMap<>(states);
        all.put(group, next);
        file.write(groups, all);
        states.put(group, next);
    }
}
