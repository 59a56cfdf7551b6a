package io.shardwire.config;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Decides which unquoted scalars are typed: only {@code true}/{@code false}, canonical decimal
 * integers, {@code null}/{@code ~}/empty, and the {@code <<} merge key. Everything else stays a string.
 *
 * <p>SnakeYAML's default YAML 1.1 rules would turn {@code yes}/{@code on} into booleans,
 * {@code 0123} into an octal 83, {@code 1_000} into 1000 and {@code 2024-01-01} into a date,
 * silently changing passwords and names. With these rules a typed scalar's {@code toString()} is
 * exactly the text that was written, so {@link YamlNode#asString()} may accept {@code password: 123456}.
 */
final class PlainScalarResolver extends Resolver {

    private static final Pattern BOOLEAN = Pattern.compile("^(?:true|false)$");
    // No leading zeros, no '+', no "-0": the parsed number prints back as the same text.
    private static final Pattern DECIMAL = Pattern.compile("^(?:0|-?[1-9][0-9]*)$");
    private static final Pattern NULL_WORD = Pattern.compile("^(?:~|null)$");

    @Override
    protected void addImplicitResolvers() {
        addImplicitResolver(Tag.BOOL, BOOLEAN, "tf");
        addImplicitResolver(Tag.INT, DECIMAL, "-0123456789");
        addImplicitResolver(Tag.MERGE, MERGE, "<");
        addImplicitResolver(Tag.NULL, NULL_WORD, "~n");
        addImplicitResolver(Tag.NULL, EMPTY, null);
    }
}
