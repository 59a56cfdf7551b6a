package io.shardwire.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads a Shardwire YAML configuration into a validated {@link ShardwireConfig}.
 *
 * <p>Every problem is a {@link ConfigException} naming the source and the key path, e.g.
 * {@code shardwire.yaml: schemas[0].tables.orders.shardGroup: unknown shard group 'g9'}.
 * Unknown keys are errors, so that a misspelt key is not silently replaced by its default.
 *
 * <p>The format, with every default:
 * <pre>{@code
 * server:
 *   host: 127.0.0.1            # default 127.0.0.1
 *   port: 3307                 # default 3307
 *   httpPort: 9066             # default 9066, must differ from port
 *   dataDir: ./shardwire-data  # default ./shardwire-data
 *   authPlugin: mysql_native_password   # or caching_sha2_password
 *   maxConnections: 1024       # default 1024, >= 1
 *   users:                     # required, at least one
 *     - name: app              # required, unique
 *       password: app          # required, may be ""
 *       schemas: [shop]        # default []; each a configured schema, listed once
 *     - name: admin
 *       password: admin
 *       admin: true            # default false
 * shardGroups:                 # required, at least one
 *   - name: g0                 # required, unique, [A-Za-z0-9_]+
 *     primary: {host: 127.0.0.1, port: 3310, user: shardwire, password: shardwire}
 *     replicas:                # default []
 *       - {host: 127.0.0.1, port: 3311, user: shardwire, password: shardwire}
 *     pool: {maxSize: 64, connectionTimeoutMs: 5000}   # default PoolConfig.DEFAULT
 * schemas:                     # required, at least one
 *   - name: shop               # required, unique, [A-Za-z0-9_$]+
 *     defaultShardGroup: g0    # required, a configured shard group
 *     dataNodes:               # default none; physical database -> shard group, names unique across schemas
 *       shop_0: g0
 *       shop_1: g1
 *     tables:                  # default none; keys are table names, [A-Za-z0-9_$]+
 *       customers: {shardGroup: g1}   # kind single (the default): whole, in database "shop" on g1;
 *                                     # shardGroup defaults to the schema's defaultShardGroup
 *       audit: {kind: single, dataNode: shop_1}   # or whole on one data node (then no shardGroup)
 *       countries: {kind: broadcast}  # a copy on every data node of the schema; needs dataNodes
 *       orders:
 *         kind: sharded
 *         shardKey: customer_id       # required
 *         algorithm: {type: hash}     # required: mod | hash | range {boundaries: [100, 1000]} | date {unit: day|month}
 *         buckets: 1024               # default 1024, in 1..65536, >= the data nodes; range: boundaries + 1
 *         dataNodes: [shop_0, shop_1] # default every data node of the schema, in order; bucket map order
 *         physicalTable: orders_${index}   # default the logical name; ${index} = position in dataNodes
 *                                     # (quote it inside {...}: 'orders_${index}')
 *         keyGenerator: {column: id}  # optional: a snowflake key filled in when an INSERT leaves it out
 *       order_items: {kind: binding, bindTo: orders, shardKey: order_id}   # the rule and data nodes of a
 *                                     # sharded table; also physicalTable and keyGenerator
 * cdc:                         # optional
 *   enabled: false             # default false
 *   user: shardwire_cdc        # default shardwire_cdc
 *   password: shardwire_cdc    # default shardwire_cdc
 *   serverIdBase: 5400         # default 5400, in 1..4294967295
 * queue:                       # optional
 *   dataDir: <server.dataDir>/queue   # default
 *   segmentBytes: 134217728    # default 128 MiB, >= 1048576
 *   fsync: batch               # batch | interval | never; default batch
 *   fsyncIntervalMs: 1000      # default 1000, >= 1
 *   retentionHours: 168        # default 168; -1 = forever, otherwise >= 1
 *   retentionBytes: -1         # default -1 = no limit, otherwise >= segmentBytes
 * router:                      # optional
 *   maxMemoryMergeRows: 100000 # default 100000, >= 1: rows a GROUP BY / DISTINCT merge may hold
 *   maxMemoryMergeBytes: 67108864   # default 64 MiB, >= 1024
 *   workerId: 0                # default 0, in 0..1023: this proxy's snowflake worker id
 * }</pre>
 *
 * <p>Every table kind accepts only its own keys, listed above. A binding table's {@code bindTo}
 * names a sharded table (not a binding one) of the same schema. Range boundaries are strictly
 * increasing integers, and a range rule needs at least one range per data node. No two tables may
 * resolve to the same physical table on the same shard group. {@code ${index}} is allowed only in
 * sharded and binding tables' {@code physicalTable}.
 *
 * <p>A data source's {@code host} defaults to 127.0.0.1, its {@code port} and {@code user} are
 * required and its {@code password} defaults to "". No two data sources, in any group, primary or
 * replica, may have the same {@code host:port} (host names compared as written, ignoring case).
 * Pool {@code maxSize} must be >= 1 and {@code connectionTimeoutMs} >= 250.
 *
 * <p>Value rules:
 * <ul>
 *   <li>Relative directories resolve against the directory of the file given to {@link #load},
 *       or against the current directory for {@link #parse}; the results are absolute.</li>
 *   <li>Numbers are plain decimal YAML integers; a quoted or otherwise non-numeric value where a
 *       number belongs is an error. Booleans are {@code true} or {@code false}.</li>
 *   <li>Only {@code true}, {@code false}, decimal integers and {@code null}/{@code ~} are typed when
 *       unquoted; YAML 1.1 forms such as {@code yes}, {@code 0x1F} or dates stay strings. Where a
 *       string belongs, an unquoted integer or boolean is taken as written ({@code password: 1234}).</li>
 *   <li>Enum values ({@code authPlugin}, {@code fsync}) are case-insensitive.</li>
 *   <li>A key with an empty or {@code null} value counts as absent. Names, hosts, users and
 *       directories must not be empty; passwords may be.</li>
 *   <li>Duplicate keys are errors; anchors, aliases and {@code <<} merge keys work as in YAML.</li>
 * </ul>
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * Reads and validates a configuration file.
     *
     * @param file the YAML file; relative directories in it resolve against its directory
     * @return the validated configuration, whose {@code source} is {@code file} as given
     * @throws ConfigException if the file cannot be read or is not a valid configuration
     */
    public static ShardwireConfig load(Path file) {
        Objects.requireNonNull(file, "file");
        String source = file.toString();
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(source, "", cannotRead(e), e);
        }
        return parse(yaml, source, file.toAbsolutePath().normalize().getParent());
    }

    /**
     * Validates a configuration held in memory, e.g. generated by a launcher or a test.
     *
     * @param yaml   the YAML text
     * @param source what to call it in error messages and in {@link ShardwireConfig#source()}
     * @return the validated configuration; relative directories resolved against the current directory
     * @throws ConfigException if it is not a valid configuration
     */
    public static ShardwireConfig parse(String yaml, String source) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(source, "source");
        return parse(yaml, source, Path.of("").toAbsolutePath());
    }

    private static ShardwireConfig parse(String yaml, String source, Path baseDir) {
        Object tree = readTree(yaml, source);
        if (tree == null) {
            throw new ConfigException(source, "", "empty configuration");
        }
        return new ConfigBinder(baseDir).bind(source, YamlNode.root(source, tree).asMap());
    }

    /** The document as plain maps, lists and scalars; the safe constructor never instantiates classes. */
    private static Object readTree(String yaml, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        DumperOptions unusedDumping = new DumperOptions();
        Yaml parser = new Yaml(new SafeConstructor(options), new Representer(unusedDumping), unusedDumping,
                options, new PlainScalarResolver());
        try {
            return parser.load(yaml);
        } catch (MarkedYAMLException e) {
            throw new ConfigException(source, "", invalidYaml(e), e);
        } catch (YAMLException e) {
            throw new ConfigException(source, "", "invalid YAML: " + e.getMessage(), e);
        }
    }

    private static String invalidYaml(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        // The context ("while parsing a block mapping") completes problems such as "but found another document".
        String problem = e.getContext() == null ? e.getProblem()
                : e.getProblem() == null ? e.getContext()
                : e.getContext() + ", " + e.getProblem();
        if (mark == null) {
            return "invalid YAML: " + problem;
        }
        // Marks count from 0; editors count from 1.
        return "invalid YAML at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": " + problem;
    }

    private static String cannotRead(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "file not found";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "not valid UTF-8";
        }
        return "cannot read: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
    }
}
