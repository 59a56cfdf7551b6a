package io.shardwire.router.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/** Equalities checked against MariaDB 11.4.5 ({@code SELECT 'a' = 'A ' COLLATE ...}). */
class CollationsTest {

    private static final int UTF8MB4_GENERAL_CI = 45;
    private static final int UTF8MB4_BIN = 46;
    private static final int UTF8MB4_GENERAL_NOPAD_CI = 1069;
    private static final int UTF8MB4_NOPAD_BIN = 1070;
    private static final int UTF8MB4_UCA1400_AI_CI = 2304;
    private static final int UTF8MB4_UCA1400_AS_CS = 2307;

    @Test
    void generalCiFoldsCaseAccentsAndTrailingSpaces() {
        Comparator<byte[]> ci = Collations.comparator(UTF8MB4_GENERAL_CI);
        assertThat(compare(ci, "abc", "ABC ")).isZero();
        assertThat(compare(ci, "é", "E")).isZero();
        assertThat(compare(ci, "ß", "s")).isZero();
        assertThat(compare(ci, "a", "B")).isNegative();
    }

    @Test
    void generalCiOrdersAsciiByUpperCaseIgnoringTrailingSpaces() {
        Comparator<byte[]> ci = Collations.comparator(UTF8MB4_GENERAL_CI);
        Comparator<byte[]> nopad = Collations.comparator(UTF8MB4_GENERAL_NOPAD_CI);
        java.util.Random random = new java.util.Random(45);
        String alphabet = "aAbB zZ_-09~";
        for (int i = 0; i < 10_000; i++) {
            String a = randomText(random, alphabet);
            String b = randomText(random, alphabet);
            assertThat(Integer.signum(compare(ci, a, b))).as("'%s' vs '%s'", a, b)
                    .isEqualTo(Integer.signum(a.stripTrailing().toUpperCase().compareTo(b.stripTrailing().toUpperCase())));
            assertThat(Integer.signum(compare(nopad, a, b))).as("nopad '%s' vs '%s'", a, b)
                    .isEqualTo(Integer.signum(a.toUpperCase().compareTo(b.toUpperCase())));
        }
    }

    /** Text that mixes ASCII with accented, folded and astral characters, before, at and after the first difference. */
    @Test
    void generalCiOrdersMixedTextAsItsFoldedCharacters() {
        Comparator<byte[]> ci = Collations.comparator(UTF8MB4_GENERAL_CI);
        assertThat(compare(ci, "aéb", "AEB ")).isZero();
        assertThat(compare(ci, "b", "aé")).isPositive();
        assertThat(compare(ci, "ab", "abé")).isNegative();
        assertThat(compare(ci, "é", "f")).isNegative();
        assertThat(compare(ci, "xß", "xs")).isZero();
        java.util.Random random = new java.util.Random(46);
        String alphabet = "aAeEéÉsSß z\uD83D\uDE00";
        for (int i = 0; i < 10_000; i++) {
            String a = randomCodePoints(random, alphabet);
            String b = randomCodePoints(random, alphabet);
            assertThat(Integer.signum(compare(ci, a, b))).as("'%s' vs '%s'", a, b)
                    .isEqualTo(Integer.signum(fold(a.stripTrailing()).compareTo(fold(b.stripTrailing()))));
        }
    }

    /** general_ci's weights as documented: the upper case of each character's base letter, ß as S. */
    private static String fold(String text) {
        StringBuilder folded = new StringBuilder();
        text.codePoints().forEach(c -> folded.appendCodePoint(c == 'ß' ? 'S' : Character.toUpperCase(
                java.text.Normalizer.normalize(Character.toString(c), java.text.Normalizer.Form.NFD).codePointAt(0))));
        return folded.toString();
    }

    private static String randomCodePoints(java.util.Random random, String alphabet) {
        int[] codePoints = alphabet.codePoints().toArray();
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(6); n > 0; n--) {
            text.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
        }
        return text.toString();
    }

    private static String randomText(java.util.Random random, String alphabet) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(6); n > 0; n--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    @Test
    void uca1400AccentAndCaseInsensitive() {
        Comparator<byte[]> ai = Collations.comparator(UTF8MB4_UCA1400_AI_CI);
        assertThat(compare(ai, "a", "A ")).isZero();
        assertThat(compare(ai, "é", "E")).isZero();
        assertThat(compare(ai, "ß", "ss")).isZero();
        Comparator<byte[]> cs = Collations.comparator(UTF8MB4_UCA1400_AS_CS);
        assertThat(compare(cs, "a", "A")).isNotZero();
    }

    @Test
    void binaryCollations() {
        assertThat(compare(Collations.comparator(UTF8MB4_BIN), "a ", "a")).isZero();
        assertThat(compare(Collations.comparator(UTF8MB4_NOPAD_BIN), "a ", "a")).isPositive();
        assertThat(compare(Collations.comparator(UTF8MB4_BIN), "B", "a")).isNegative();
        assertThat(compare(Collations.comparator(63), "a ", "a")).isPositive();
    }

    @Test
    void unknownCollationsAreRefused() {
        assertThatThrownBy(() -> Collations.comparator(95))
                .isInstanceOf(MergeException.class)
                .hasMessage("collation id 95 is not known to the merge, so its values cannot be ordered or grouped");
    }

    private static int compare(Comparator<byte[]> order, String a, String b) {
        return order.compare(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
