package io.shardwire.router.parse;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.NextValExpression;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.TableFunction;

/**
 * Which SELECTs provably change no row. A SELECT writes only through a stored function it calls (MariaDB runs no
 * trigger or procedure for a read), and a stored function is called by a name that is not a built-in one: MariaDB
 * resolves an unqualified built-in name to the built-in, so a stored function named like one is reached only
 * schema-qualified. So a SELECT all of whose calls are unqualified names of known built-ins writes nothing; any
 * other name, a qualified one, a sequence's NEXT VALUE or a table function leaves the question open, and so does an
 * AST the walk cannot read. Thread-safe.
 */
public final class WriteFreeSelects {

    /** Built-ins that read only; anything else counts as possibly stored (or as a built-in with effects). */
    private static final Set<String> BUILT_INS = Set.of(
            "COUNT", "SUM", "AVG", "MIN", "MAX", "GROUP_CONCAT", "STD", "STDDEV", "STDDEV_POP", "STDDEV_SAMP",
            "VARIANCE", "VAR_POP", "VAR_SAMP", "BIT_AND", "BIT_OR", "BIT_XOR",
            "ROW_NUMBER", "RANK", "DENSE_RANK", "PERCENT_RANK", "CUME_DIST", "NTILE", "LAG", "LEAD", "FIRST_VALUE",
            "LAST_VALUE", "NTH_VALUE",
            "IF", "IFNULL", "NULLIF", "COALESCE", "ISNULL", "GREATEST", "LEAST",
            "ABS", "CEIL", "CEILING", "FLOOR", "ROUND", "TRUNCATE", "MOD", "SIGN", "SQRT", "POW", "POWER", "EXP", "LN",
            "LOG", "LOG2", "LOG10", "RAND", "CRC32", "CONV", "HEX", "UNHEX",
            "CONCAT", "CONCAT_WS", "SUBSTR", "SUBSTRING", "SUBSTRING_INDEX", "LEFT", "RIGHT", "LENGTH", "CHAR_LENGTH",
            "CHARACTER_LENGTH", "OCTET_LENGTH", "UPPER", "LOWER", "UCASE", "LCASE", "LTRIM", "RTRIM", "REPLACE",
            "LPAD", "RPAD", "LOCATE", "INSTR", "POSITION", "REVERSE", "REPEAT", "SPACE", "ASCII", "FIELD",
            "FIND_IN_SET", "MD5", "SHA1", "SHA2", "STRCMP",
            "NOW", "CURDATE", "CURTIME", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "SYSDATE", "UTC_DATE",
            "UTC_TIMESTAMP", "DATE", "TIME", "YEAR", "MONTH", "DAY", "DAYOFMONTH", "DAYOFWEEK", "DAYOFYEAR", "HOUR",
            "MINUTE", "SECOND", "WEEK", "QUARTER", "DATE_FORMAT", "UNIX_TIMESTAMP", "FROM_UNIXTIME", "DATE_ADD",
            "DATE_SUB", "ADDDATE", "SUBDATE", "DATEDIFF", "TIMESTAMPDIFF", "TIMESTAMPADD", "LAST_DAY", "STR_TO_DATE",
            "JSON_EXTRACT", "JSON_VALUE", "JSON_UNQUOTE", "JSON_CONTAINS", "JSON_LENGTH",
            "DATABASE", "SCHEMA", "CONNECTION_ID", "LAST_INSERT_ID", "FOUND_ROWS", "ROW_COUNT", "VERSION");

    private static final String AST_PACKAGE = "net.sf.jsqlparser.";
    private static final String PARSE_TREE_PACKAGE = "net.sf.jsqlparser.parser.";
    private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();

    private WriteFreeSelects() {
    }

    /** Whether the statement is a SELECT that provably changes no row (see the class comment). */
    public static boolean provable(Statement statement) {
        if (!(statement instanceof Select)) {
            return false;
        }
        try {
            return !callsUnknown(statement, Collections.newSetFromMap(new IdentityHashMap<>()));
        } catch (ReflectiveOperationException | RuntimeException notWalkable) {
            return false;
        }
    }

    /**
     * Whether anything reachable from {@code node} in the AST is a call of no known built-in. Walks every field of
     * JSqlParser's objects (a visitor of the parser's own is easy to leave incomplete: its table finder skips a
     * window's PARTITION BY), skipping the raw parse tree each node keeps.
     */
    private static boolean callsUnknown(Object node, Set<Object> seen) throws ReflectiveOperationException {
        if (node == null || !seen.add(node)) {
            return false;
        }
        switch (node) {
            case Function function when !builtIn(function.getMultipartName()) -> {
                return true;
            }
            case AnalyticExpression analytic when analytic.getName() == null || !builtIn(List.of(analytic.getName())) -> {
                return true;
            }
            case NextValExpression ignored -> {
                return true;
            }
            case TableFunction ignored -> {
                return true;
            }
            case Collection<?> items -> {
                for (Object item : items) {
                    if (callsUnknown(item, seen)) {
                        return true;
                    }
                }
                return false;
            }
            case Map<?, ?> entries -> {
                return callsUnknown(entries.keySet(), seen) || callsUnknown(entries.values(), seen);
            }
            case Object[] items -> {
                return callsUnknown(Arrays.asList(items), seen);
            }
            default -> {
                if (!isAstClass(node.getClass())) {
                    return false;
                }
                for (Field field : fields(node.getClass())) {
                    if (callsUnknown(field.get(node), seen)) {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    private static boolean isAstClass(Class<?> type) {
        return type.getName().startsWith(AST_PACKAGE) && !type.getName().startsWith(PARSE_TREE_PACKAGE);
    }

    /** The instance fields of an AST class and its AST superclasses that may hold more of the AST, made readable. */
    private static List<Field> fields(Class<?> type) {
        return FIELDS.computeIfAbsent(type, t -> {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = t; c != null && isAstClass(c); c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    Class<?> fieldType = field.getType();
                    if (Modifier.isStatic(field.getModifiers()) || fieldType.isPrimitive() || fieldType.isEnum()
                            || fieldType == String.class || fieldType.getName().startsWith(PARSE_TREE_PACKAGE)) {
                        continue;
                    }
                    field.setAccessible(true);
                    fields.add(field);
                }
            }
            return List.copyOf(fields);
        });
    }

    private static boolean builtIn(List<String> name) {
        return name != null && name.size() == 1
                && BUILT_INS.contains(Identifiers.unquote(name.getFirst()).toUpperCase(Locale.ROOT));
    }
}
