package io.skeletonssl.formats.pku;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NumberRowsTest {

    private static float parse(String token) throws NumberRows.FormatException {
        byte[] b = token.getBytes(StandardCharsets.US_ASCII);
        return NumberRows.parseNumber(b, 0, b.length, "f", 1);
    }

    /** Decimal → double → float, as np.loadtxt then float32 does. */
    @Property(tries = 3000)
    void parsesLikeDoubleThenFloat(@ForAll("decimals") String token) throws Exception {
        assertThat(Float.floatToRawIntBits(parse(token)))
                .as(token).isEqualTo(Float.floatToRawIntBits((float) Double.parseDouble(token)));
    }

    @Provide
    Arbitrary<String> decimals() {
        Arbitrary<String> fixed = Arbitraries.doubles().between(-1e7, 1e7)
                .flatMap(d -> Arbitraries.integers().between(0, 12)
                        .map(p -> String.format(Locale.ROOT, "%." + p + "f", d)));
        Arbitrary<String> longMantissa = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(30)
                .flatMap(a -> Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(30).map(b -> a + "." + b));
        Arbitrary<String> scientific = Arbitraries.doubles().between(-1e30, 1e30).map(d -> Double.toString(d));
        Arbitrary<String> raw = Arbitraries.floats().map(f -> Float.toString(f)).filter(s -> !s.contains("N")
                && !s.contains("I"));
        return Arbitraries.oneOf(fixed, longMantissa, scientific, raw);
    }

    @Test
    void specialValuesAndErrors() throws Exception {
        assertThat(parse("nan")).isNaN();
        assertThat(parse("-NaN")).isNaN();
        assertThat(parse("inf")).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(parse("-Infinity")).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Float.floatToRawIntBits(parse("-0.000000"))).isEqualTo(Float.floatToRawIntBits(-0f));
        assertThat(parse("+1.5")).isEqualTo(1.5f);
        assertThat(parse(".25")).isEqualTo(0.25f);
        assertThat(parse("5.")).isEqualTo(5f);
        for (String bad : new String[]{"1.2.3", "abc", "0x10", "1d", "-", ".", "1e", "--1"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(NumberRows.FormatException.class)
                    .hasMessageContaining("f line 1").hasMessageContaining("'" + bad + "' is not a number");
        }
    }

    @Test
    void rowsSkipBlankLinesAndRecordFileLines() throws Exception {
        byte[] text = "1 2 3\r\n\n  4\t5 6  \n\n7 8 9".getBytes(StandardCharsets.US_ASCII);
        NumberRows rows = NumberRows.parse(text, 3, "x.txt");
        assertThat(rows.rows()).isEqualTo(3);
        assertThat(rows.get(1, 1)).isEqualTo(5f);
        assertThat(rows.get(2, 2)).isEqualTo(9f);
        assertThat(rows.line(0)).isEqualTo(1);
        assertThat(rows.line(1)).isEqualTo(3);
        assertThat(rows.line(2)).isEqualTo(5);
        assertThatThrownBy(() -> NumberRows.parse("1 2 3\n4 5\n".getBytes(StandardCharsets.US_ASCII), 3, "x.txt"))
                .hasMessage("x.txt line 2: expected 3 numbers, found 2");
        assertThatThrownBy(() -> NumberRows.parse("1 2 3 4\n".getBytes(StandardCharsets.US_ASCII), 3, "x.txt"))
                .hasMessage("x.txt line 1: expected 3 numbers, found 4");
    }

    @Test
    void growsBeyondTheInitialCapacity() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append(i).append(' ').append(-i).append('\n');
        }
        NumberRows rows = NumberRows.parse(sb.toString().getBytes(StandardCharsets.US_ASCII), 2, "g");
        assertThat(rows.rows()).isEqualTo(1000);
        assertThat(rows.get(999, 1)).isEqualTo(-999f);
        assertThat(rows.firstNonFinite(0, 1000)).isEqualTo(-1);
        assertThat(rows.allZero(0, 1)).isTrue();
        assertThat(rows.allZero(0, 2)).isFalse();
    }
}
