package io.shardwire.router.merge;

import java.nio.charset.StandardCharsets;
import java.text.Collator;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;

/**
 * String order by collation id, for text the nodes send in utf8mb4 (the proxy's connection
 * character set). Exact for binary collations; for the others an approximation, documented per family:
 * <ul>
 *   <li>{@code binary} (63): unsigned bytes;</li>
 *   <li>{@code *_bin}: code points, trailing spaces ignored (PAD SPACE), except the NO PAD ones;</li>
 *   <li>{@code *_general_ci}: each character folded to the upper case of its base letter (accents
 *       dropped, {@code ß} as {@code S}), as MySQL's general_ci weights single characters; PAD SPACE;</li>
 *   <li>{@code *_unicode_ci}, {@code *_unicode_520_ci}, MariaDB's {@code *_uca1400_*} and MySQL's
 *       {@code *_0900_*}: Java's root-locale {@link Collator} at primary strength for accent- and
 *       case-insensitive ({@code ai_ci}), secondary for {@code as_ci}, tertiary for case-sensitive
 *       ones; language tailorings ({@code _swedish_ci}, ...) are compared as the root collation.</li>
 * </ul>
 * An id outside these families (another character set's collation) is refused with a {@link MergeException}
 * rather than guessed.
 */
public final class Collations {

    private static final int BINARY = 63;

    /** How a family compares. */
    private enum Family {
        BINARY,
        CODE_POINT,
        GENERAL_CI,
        UCA_PRIMARY,
        UCA_SECONDARY,
        UCA_TERTIARY
    }

    /**
     * A family and whether trailing spaces are ignored.
     *
     * @param family   how characters compare
     * @param padSpace whether trailing spaces are ignored (PAD SPACE), as all but the NO PAD collations do
     */
    private record Kind(Family family, boolean padSpace) {
    }

    private static final Map<Integer, Kind> KNOWN = Map.ofEntries(
            Map.entry(8, new Kind(Family.GENERAL_CI, true)),            // latin1_swedish_ci
            Map.entry(11, new Kind(Family.GENERAL_CI, true)),           // ascii_general_ci
            Map.entry(33, new Kind(Family.GENERAL_CI, true)),           // utf8mb3_general_ci
            Map.entry(45, new Kind(Family.GENERAL_CI, true)),           // utf8mb4_general_ci
            Map.entry(46, new Kind(Family.CODE_POINT, true)),           // utf8mb4_bin
            Map.entry(47, new Kind(Family.CODE_POINT, true)),           // latin1_bin
            Map.entry(48, new Kind(Family.GENERAL_CI, true)),           // latin1_general_ci
            Map.entry(49, new Kind(Family.UCA_TERTIARY, true)),         // latin1_general_cs
            Map.entry(BINARY, new Kind(Family.BINARY, false)),          // binary
            Map.entry(65, new Kind(Family.CODE_POINT, true)),           // ascii_bin
            Map.entry(83, new Kind(Family.CODE_POINT, true)),           // utf8mb3_bin
            Map.entry(255, new Kind(Family.UCA_PRIMARY, false)),        // utf8mb4_0900_ai_ci
            Map.entry(305, new Kind(Family.UCA_SECONDARY, false)),      // utf8mb4_0900_as_ci
            Map.entry(309, new Kind(Family.CODE_POINT, false)),         // utf8mb4_0900_bin
            Map.entry(1032, new Kind(Family.GENERAL_CI, false)),        // latin1_swedish_nopad_ci
            Map.entry(1035, new Kind(Family.GENERAL_CI, false)),        // ascii_general_nopad_ci
            Map.entry(1057, new Kind(Family.GENERAL_CI, false)),        // utf8mb3_general_nopad_ci
            Map.entry(1069, new Kind(Family.GENERAL_CI, false)),        // utf8mb4_general_nopad_ci
            Map.entry(1070, new Kind(Family.CODE_POINT, false)),        // utf8mb4_nopad_bin
            Map.entry(1071, new Kind(Family.CODE_POINT, false)),        // latin1_nopad_bin
            Map.entry(1089, new Kind(Family.CODE_POINT, false)),        // ascii_nopad_bin
            Map.entry(1107, new Kind(Family.CODE_POINT, false)),        // utf8mb3_nopad_bin
            Map.entry(1216, new Kind(Family.UCA_PRIMARY, false)),       // utf8mb3_unicode_nopad_ci
            Map.entry(1238, new Kind(Family.UCA_PRIMARY, false)),       // utf8mb3_unicode_520_nopad_ci
            Map.entry(1248, new Kind(Family.UCA_PRIMARY, false)),       // utf8mb4_unicode_nopad_ci
            Map.entry(1270, new Kind(Family.UCA_PRIMARY, false)));      // utf8mb4_unicode_520_nopad_ci

    private Collations() {
    }

    /**
     * The order of text values (UTF-8 bytes) under a collation.
     *
     * @throws MergeException if the collation is not one this class knows
     */
    public static Comparator<byte[]> comparator(int collationId) {
        Kind kind = kind(collationId);
        return switch (kind.family()) {
            case BINARY -> Arrays::compareUnsigned;
            case CODE_POINT -> kind.padSpace()
                    ? (a, b) -> Arrays.compareUnsigned(trimTrailingSpaces(a), trimTrailingSpaces(b))
                    : Arrays::compareUnsigned;
            case GENERAL_CI -> generalCi(kind.padSpace());
            case UCA_PRIMARY -> byText(collator(Collator.PRIMARY), kind.padSpace());
            case UCA_SECONDARY -> byText(collator(Collator.SECONDARY), kind.padSpace());
            case UCA_TERTIARY -> byText(collator(Collator.TERTIARY), kind.padSpace());
        };
    }

    private static Kind kind(int id) {
        Kind known = KNOWN.get(id);
        if (known != null) {
            return known;
        }
        if ((id >= 192 && id <= 215) || (id >= 224 && id <= 247) || (id >= 576 && id <= 610)) {
            // utf8mb3/utf8mb4 unicode, unicode_520 and their language tailorings.
            return new Kind(Family.UCA_PRIMARY, true);
        }
        if (id >= 256 && id <= 277) {
            return new Kind(Family.UCA_PRIMARY, false);     // utf8mb4_<lang>_0900_ai_ci
        }
        if (id >= 278 && id <= 300) {
            return new Kind(Family.UCA_TERTIARY, false);    // utf8mb4_<lang>_0900_as_cs
        }
        if (id >= 2048 && id < 2560) {
            // MariaDB's UCA 14.0.0 collations: bit 0 case-sensitive, bit 1 accent-sensitive, bit 2 NO PAD.
            boolean caseSensitive = (id & 1) != 0;
            boolean accentSensitive = (id & 2) != 0;
            Family family = caseSensitive ? Family.UCA_TERTIARY : accentSensitive ? Family.UCA_SECONDARY : Family.UCA_PRIMARY;
            return new Kind(family, (id & 4) == 0);
        }
        throw new MergeException("collation id " + id + " is not known to the merge, so its values cannot be ordered or grouped");
    }

    /**
     * general_ci order. Most text is ASCII, and there the weight of a byte is its upper case, so it is
     * compared in place, in one pass that stops at the first difference; only a pair with a non-ASCII
     * byte before that point is decoded and folded. Decoding and folding every value at every comparison,
     * and later scanning both values whole for ASCII first, were the top costs of sorted, grouped and
     * DISTINCT merges (sysbench oltp_read_only's {@code ORDER BY c} and {@code DISTINCT c}).
     */
    private static Comparator<byte[]> generalCi(boolean padSpace) {
        Comparator<byte[]> folded = byText(Comparator.comparing(Collations::generalFold), padSpace);
        return (a, b) -> {
            // A space byte is never part of a multi-byte UTF-8 character, so trimming bytes trims characters.
            int aEnd = padSpace ? endWithoutTrailingSpaces(a) : a.length;
            int bEnd = padSpace ? endWithoutTrailingSpaces(b) : b.length;
            int common = Math.min(aEnd, bEnd);
            for (int i = 0; i < common; i++) {
                byte x = a[i];
                byte y = b[i];
                if ((x | y) < 0) {
                    return folded.compare(a, b);
                }
                if (x != y) {
                    int difference = upperCaseAscii(x) - upperCaseAscii(y);
                    if (difference != 0) {
                        return difference;
                    }
                }
            }
            // Equal so far, and each character folds to one: the shorter value is a prefix of the longer.
            return aEnd - bEnd;
        };
    }

    private static int upperCaseAscii(byte b) {
        return b >= 'a' && b <= 'z' ? b - ('a' - 'A') : b;
    }

    private static Comparator<byte[]> byText(Comparator<String> text, boolean padSpace) {
        return (a, b) -> text.compare(decode(a, padSpace), decode(b, padSpace));
    }

    private static String decode(byte[] value, boolean padSpace) {
        return new String(padSpace ? trimTrailingSpaces(value) : value, StandardCharsets.UTF_8);
    }

    private static byte[] trimTrailingSpaces(byte[] value) {
        int end = endWithoutTrailingSpaces(value);
        return end == value.length ? value : Arrays.copyOf(value, end);
    }

    private static int endWithoutTrailingSpaces(byte[] value) {
        int end = value.length;
        while (end > 0 && value[end - 1] == ' ') {
            end--;
        }
        return end;
    }

    private static Comparator<String> collator(int strength) {
        Collator collator = Collator.getInstance(Locale.ROOT);
        collator.setStrength(strength);
        collator.setDecomposition(Collator.CANONICAL_DECOMPOSITION);
        // Collator instances are not thread-safe; each comparator owns one and a cursor uses it from one thread.
        return collator::compare;
    }

    /** general_ci's single-character weights: the upper case of each character's base letter. */
    private static String generalFold(String s) {
        StringBuilder folded = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c < 0x80) {
                folded.append(Character.toUpperCase((char) c));
                return;
            }
            if (c == 'ß') {
                folded.append('S');
                return;
            }
            String base = Normalizer.normalize(new String(Character.toChars(c)), Normalizer.Form.NFD);
            folded.appendCodePoint(Character.toUpperCase(base.codePointAt(0)));
        });
        return folded.toString();
    }
}
