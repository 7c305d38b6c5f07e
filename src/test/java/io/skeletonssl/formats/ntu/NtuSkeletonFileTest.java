package io.skeletonssl.formats.ntu;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static io.skeletonssl.formats.ntu.NtuFixture.body;
import static io.skeletonssl.formats.ntu.NtuFixture.pose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NtuSkeletonFileTest {

    private static final String SRC = "S001C001P001R001A001.skeleton";

    private static NtuFixture twoFrames() {
        return new NtuFixture()
                .frame(body("72057594037931101", pose(0.1, 0.2, 0.3)))
                .emptyFrame()
                .frame(body("72057594037931101", pose(0.2, 0.2, 0.3)), body("72057594037931999", pose(-1, 0, 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n"})
    void parsesFramesBodiesAndCoordinates(String eol) throws Exception {
        NtuFixture fx = twoFrames();
        NtuSkeletonFile f = NtuSkeletonFile.parse(fx.bytes(eol), SRC);
        assertThat(f.frameCount()).isEqualTo(3);
        assertThat(f.bodyCount(0)).isEqualTo(1);
        assertThat(f.bodyCount(1)).isZero();
        assertThat(f.bodyCount(2)).isEqualTo(2);
        assertThat(f.framesWithBodies()).isEqualTo(2);
        assertThat(f.body(2, 1).bodyId()).isEqualTo("72057594037931999");
        double[][] expected = pose(0.2, 0.2, 0.3);
        for (int j = 0; j < 25; j++) {
            for (int c = 0; c < 3; c++) {
                // the parser must give exactly the double that Double.parseDouble gives
                assertThat(f.body(2, 0).coord(j, c)).isEqualTo(Double.parseDouble(Double.toString(expected[j][c])));
            }
            assertThat(f.body(2, 0).colorX(j)).isEqualTo(1184.537f);
            assertThat(f.body(2, 0).colorY(j)).isEqualTo(489.4118f);
        }
        assertThat(f.source()).isEqualTo(SRC);
    }

    @Test
    void toleratesTrailingWhitespaceTabsAndBlankTrailingLines() throws Exception {
        String text = twoFrames().text("\r\n").replace("\r\n", " \t\r\n") + "\r\n  \r\n\n";
        NtuSkeletonFile f = NtuSkeletonFile.parse(text.getBytes(StandardCharsets.US_ASCII), SRC);
        assertThat(f.frameCount()).isEqualTo(3);
        assertThat(f.body(0, 0).coord(1, 1)).isEqualTo(0.3 + 0.2);
        // without a final newline too
        String noFinal = twoFrames().text("\n").stripTrailing();
        assertThat(NtuSkeletonFile.parse(noFinal.getBytes(StandardCharsets.US_ASCII), SRC).frameCount()).isEqualTo(3);
    }

    @Test
    void acceptsNumberSpellingsPythonAccepts() throws Exception {
        List<String> lines = twoFrames().lines();
        lines.set(4, "+1.5e-3 -.25 3. 1E2 -0 nan inf 0.1 0.2 0.3 0.4 2");
        NtuSkeletonFile f = NtuSkeletonFile.parse(String.join("\n", lines).getBytes(StandardCharsets.US_ASCII), SRC);
        assertThat(f.body(0, 0).coord(0, 0)).isEqualTo(1.5e-3);
        assertThat(f.body(0, 0).coord(0, 1)).isEqualTo(-0.25);
        assertThat(f.body(0, 0).coord(0, 2)).isEqualTo(3.0);
        assertThat(f.body(0, 0).colorX(0)).isNaN();
        assertThat(f.body(0, 0).colorY(0)).isInfinite();
    }

    /** The hand-written number scanner agrees with Double.parseDouble bit for bit. */
    @Property(tries = 3000)
    void numberScannerMatchesDoubleParse(@ForAll @DoubleRange(min = -1e4, max = 1e4) double v,
                                         @ForAll @IntRange(min = 0, max = 4) int style) throws Exception {
        String s = switch (style) {
            case 0 -> Double.toString(v);
            case 1 -> String.format(Locale.ROOT, "%.7g", v);
            case 2 -> String.format(Locale.ROOT, "%.7e", v);
            case 3 -> String.format(Locale.ROOT, "%.20f", v);
            default -> new java.math.BigDecimal(v).toPlainString();
        };
        List<String> lines = twoFrames().lines();
        lines.set(4, s + " " + s + " 1 0 0 0 0 0 0 0 0 2");
        NtuSkeletonFile f = NtuSkeletonFile.parse(String.join("\n", lines).getBytes(StandardCharsets.US_ASCII), SRC);
        assertThat(f.body(0, 0).coord(0, 0)).isEqualTo(Double.parseDouble(s));
    }

    private static String corrupt(int line, String replacement) {
        List<String> lines = twoFrames().lines();
        lines.set(line - 1, replacement);
        return String.join("\r\n", lines);
    }

    private static Throwable parseError(String text) {
        Throwable[] t = new Throwable[1];
        assertThatThrownBy(() -> NtuSkeletonFile.parse(text.getBytes(StandardCharsets.US_ASCII), SRC))
                .isInstanceOf(NtuFormatException.class)
                .satisfies(e -> t[0] = e);
        return t[0];
    }

    @Test
    void malformedNumberNamesFileLineAndField() {
        Throwable e = parseError(corrupt(6, "0.1 0.3x 3.3 1 1 1 1 1 1 1 1 2"));
        assertThat(e).hasMessage(SRC + ":6: expected a number for y (field 2 of 12) of joint 2 of body 1 in frame 1,"
                + " found '0.3x'");
        assertThat(((NtuFormatException) e).line()).isEqualTo(6);
        assertThat(parseError(corrupt(6, "0.1 0.3 3.3 1 1 abc 1 1 1 1 1 2")).getMessage())
                .contains(":6:", "colorX", "'abc'");
        assertThat(parseError(corrupt(6, "0.1 0.3 3.3 1 1 1.5e 1 1 1 1 1 2")).getMessage()).contains("'1.5e'");
        assertThat(parseError(corrupt(6, "- 0.3 3.3 1 1 1 1 1 1 1 1 2")).getMessage()).contains("found '-'");
    }

    @Test
    void nonFiniteCoordinatesAreRejected() {
        assertThat(parseError(corrupt(5, "NaN 0.3 3.3 1 1 1 1 1 1 1 1 2")).getMessage())
                .isEqualTo(SRC + ":5: expected a finite x coordinate for joint 1 of body 1 in frame 1, found 'NaN'");
        assertThat(parseError(corrupt(7, "0.1 0.3 -inf 1 1 1 1 1 1 1 1 2")).getMessage())
                .contains(":7:", "finite z coordinate for joint 3", "'-inf'");
        assertThat(parseError(corrupt(7, "0.1 1e999 1 1 1 1 1 1 1 1 1 2")).getMessage())
                .contains(":7:", "finite y coordinate");
    }

    @Test
    void wrongJointCountIsRejected() {
        assertThat(parseError(corrupt(4, "24")).getMessage())
                .isEqualTo(SRC + ":4: expected 25 joints (Kinect v2) for body 1 in frame 1, found 24");
    }

    @Test
    void wrongFieldCountIsRejected() {
        assertThat(parseError(corrupt(8, "0.1 0.3 3.3 1 1 1 1 1 1 1 1")).getMessage())
                .isEqualTo(SRC + ":8: expected 12 numbers for joint 4 of body 1 in frame 1, found 11");
        assertThat(parseError(corrupt(8, "0.1 0.3 3.3 1 1 1 1 1 1 1 1 2 7")).getMessage())
                .contains(":8:", "found more ('7')");
    }

    @Test
    void badCountsAreRejected() {
        assertThat(parseError(corrupt(1, "three")).getMessage())
                .isEqualTo(SRC + ":1: expected the frame count (one integer), found 'three'");
        assertThat(parseError(corrupt(2, "-1")).getMessage()).contains(":2:", "body count of frame 1", "'-1'");
        assertThat(parseError(corrupt(2, "1 2")).getMessage()).contains(":2:", "alone on the line");
        assertThat(parseError(corrupt(2, "")).getMessage()).contains(":2:", "found an empty line");
        assertThat(parseError("").getMessage()).isEqualTo(SRC + ":1: empty file: expected the frame count (one integer)");
    }

    @Test
    void truncatedFileNamesWhereItEnds() {
        List<String> lines = twoFrames().lines();
        // cut inside the joints of the second body of frame 3
        String cut = String.join("\n", lines.subList(0, lines.size() - 3)) + "\n";
        int last = lines.size() - 3;
        assertThat(parseError(cut).getMessage()).isEqualTo(SRC + ":" + (last + 1)
                + ": truncated file: expected 12 numbers for joint 23 of body 2 in frame 3, but the file ends after line "
                + last);
        // cut before a frame's body count
        String header = "5\n" + String.join("\n", lines.subList(1, lines.size())) + "\n";
        assertThat(parseError(header).getMessage()).contains("truncated file: expected the body count of frame 4",
                "the header announces 5 frames");
        // cut after a body line
        String body = String.join("\n", lines.subList(0, 3));
        assertThat(parseError(body).getMessage()).contains(":4: truncated file: expected the joint count of body 1");
    }

    @Test
    void contentAfterTheLastFrameIsRejected() {
        String text = twoFrames().text("\n") + "\n7\n";
        assertThat(parseError(text).getMessage())
                .endsWith(": expected the end of the file after 3 frames (the header's frame count), found '7'");
    }

    @Test
    void readsFromAPathAndNamesIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path p = twoFrames().write(dir, SRC, "\r\n");
        assertThat(NtuSkeletonFile.read(p).source()).isEqualTo(p.toString());
        java.nio.file.Files.writeString(p, "1\n1\n7 0 0 0 0 0 0 0 0 2\n25\n1 2 3\n");
        assertThatThrownBy(() -> NtuSkeletonFile.read(p)).isInstanceOf(NtuFormatException.class)
                .hasMessageStartingWith(p + ":5: expected 12 numbers for joint 1");
    }
}
