package io.skeletonssl.render;

import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SampleMeta;
import io.skeletonssl.dataset.StreamSample;
import io.skeletonssl.layout.Layouts;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.synth.SynthConfig;
import io.skeletonssl.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SkeletonRendererTest {

    private static final SkeletonLayout NTU = Layouts.ntu25();
    private static final SkeletonRenderer.Options SMALL = new SkeletonRenderer.Options(80, 90, 1);
    private static final int PANEL_RGB = 0xF6F6F6;

    /** A standing stick figure, person 0 only, over {@code frames} frames (then zero padding). */
    private static Sample figure(int frames, int padded) {
        float[] data = new float[3 * padded * 25 * 2];
        for (int t = 0; t < frames; t++) {
            for (int v = 0; v < 25; v++) {
                // joints on a vertical line with a sideways offset per joint, 3 m away
                set(data, padded, t, v, 0, 0.5f + 0.02f * (v % 5) + 0.001f * t, 0.5f + 0.05f * v, 3f + 0.01f * v);
            }
        }
        return new Sample(data, padded, 25, 2, frames, 1, SampleMeta.named("S001C001P001R001A002", "test"));
    }

    private static void set(float[] d, int frames, int t, int v, int m, float x, float y, float z) {
        d[Sample.index(0, t, v, m, frames, 25, 2)] = x;
        d[Sample.index(1, t, v, m, frames, 25, 2)] = y;
        d[Sample.index(2, t, v, m, frames, 25, 2)] = z;
    }

    @Test
    void gifHasOneFramePerStrideStepOfTheValidFrames(@TempDir Path tmp) throws Exception {
        Sample s = figure(23, 40);
        SkeletonRenderer r = new SkeletonRenderer(NTU, List.of("a", "b"), new SkeletonRenderer.Options(80, 90, 3));
        Path gif = tmp.resolve("out/clip.gif");
        r.writeGif(s, gif);
        byte[] bytes = Files.readAllBytes(gif);
        assertThat(new String(bytes, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("GIF89a");
        assertThat(r.gifFrameCount(23)).isEqualTo(8);
        assertThat(r.gifDelayMillis()).isEqualTo(100);
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(8);
            BufferedImage first = reader.read(0);
            assertThat(first.getWidth()).isEqualTo(160);
            assertThat(first.getHeight()).isEqualTo(SkeletonRenderer.TITLE_HEIGHT + 90);
            reader.dispose();
        }
    }

    @Test
    void pngStripHasTheExpectedSize(@TempDir Path tmp) throws Exception {
        Sample s = figure(30, 30);
        SkeletonRenderer r = new SkeletonRenderer(NTU, List.of(), SMALL);
        Path png = tmp.resolve("strip.png");
        r.writeStrip(s, 5, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(5 * 80);
        assertThat(img.getHeight()).isEqualTo(SkeletonRenderer.TITLE_HEIGHT + 2 * 90);
        assertThat(r.stripSize(5, 30)).containsExactly(400, SkeletonRenderer.TITLE_HEIGHT + 180);
        // more frames asked than there are: one cell per valid frame
        assertThat(r.strip(figure(3, 10), 8).getWidth()).isEqualTo(3 * 80);
    }

    @Test
    void writeChoosesTheFormatByExtension(@TempDir Path tmp) throws Exception {
        SkeletonRenderer r = new SkeletonRenderer(NTU, List.of(), SMALL);
        r.write(figure(4, 4), tmp.resolve("a.png"), 2);
        r.write(figure(4, 4), tmp.resolve("a.gif"), 2);
        assertThat(ImageIO.read(tmp.resolve("a.png").toFile()).getWidth()).isEqualTo(160);
        assertThat(new String(Files.readAllBytes(tmp.resolve("a.gif")), 0, 3, StandardCharsets.US_ASCII))
                .isEqualTo("GIF");
        assertThatThrownBy(() -> r.write(figure(4, 4), tmp.resolve("a.jpg"), 2))
                .hasMessageContaining("expected a .gif or .png");
    }

    private static boolean isPersonColour(int rgb) {
        int red = (rgb >> 16) & 0xFF;
        int green = (rgb >> 8) & 0xFF;
        int blue = rgb & 0xFF;
        return Math.abs(red - green) > 40 || Math.abs(green - blue) > 40 || Math.abs(red - blue) > 40;
    }

    @Test
    void zeroJointsAreNotDrawnAndDoNotChangeTheScale() {
        // all present joints in a box far from the origin; the zero joint would map far outside
        Sample full = figure(2, 2);
        float[] data = full.data().clone();
        int tip = NTU.jointIndex("HandTipRight");
        int thumb = NTU.jointIndex("ThumbRight");
        // the thumb sits at the lower-left corner of the figure; its tip is missing (zero)
        set(data, 2, 0, thumb, 0, 0.5f, 0.5f, 3f);
        set(data, 2, 1, thumb, 0, 0.5f, 0.5f, 3f);
        set(data, 2, 0, tip, 0, 0f, 0f, 0f);
        Sample missing = new Sample(data, 2, 25, 2, 2, 0, full.meta());
        SkeletonRenderer r = new SkeletonRenderer(NTU, List.of(), new SkeletonRenderer.Options(200, 200, 1));
        BufferedImage img = r.frame(missing, 0);
        int top = SkeletonRenderer.TITLE_HEIGHT;
        // the thumb is the lowest joint, drawn around row top + 184: a bone towards the zero joint
        // (which would map below the panel) would cross the rows beneath it
        for (int x = 0; x < 200; x++) {
            for (int y = top + 190; y < top + 199; y++) {
                assertThat(isPersonColour(img.getRGB(x, y))).as("pixel %d,%d", x, y).isFalse();
            }
        }
        assertThat(img.getRGB(150, top + 195) & 0xFFFFFF).isEqualTo(PANEL_RGB);
        // the scale comes from the present joints only: the figure spans most of the panel height
        int minY = Integer.MAX_VALUE;
        int maxY = -1;
        for (int y = top; y < top + 200; y++) {
            for (int x = 0; x < 200; x++) {
                if (isPersonColour(img.getRGB(x, y))) {
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        assertThat(maxY - minY).isGreaterThan(150);
    }

    @Test
    void missingSecondPersonLeavesNoTrace() {
        BufferedImage img = new SkeletonRenderer(NTU, List.of(), SMALL).frame(figure(2, 2), 1);
        int orange = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int red = (rgb >> 16) & 0xFF;
                int blue = rgb & 0xFF;
                if (red > blue + 60) {
                    orange++;
                }
            }
        }
        assertThat(orange).isZero();
    }

    @Test
    void rendersOnlyValidFrames() {
        SkeletonRenderer r = new SkeletonRenderer(NTU, List.of(), SMALL);
        Sample s = figure(5, 20);
        assertThat(r.frame(s, 4)).isNotNull();
        assertThatThrownBy(() -> r.frame(s, 5)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("outside 0..4");
    }

    @Test
    void rendersStreamsAndSyntheticClips(@TempDir Path tmp) throws Exception {
        Sample clip = figure(12, 12);
        int[] labels = new int[12];
        Arrays.fill(labels, 4, 9, 2);
        StreamSample stream = new StreamSample(clip.data(), 12, 25, 2, labels,
                List.of(new StreamSample.Segment(1, 4, 9)), clip.meta(), null);
        SkeletonRenderer r = new SkeletonRenderer(NTU, List.of("x", "y"), SMALL);
        r.writeGif(stream, tmp.resolve("s.gif"));
        r.writeStrip(stream, 3, tmp.resolve("s.png"));
        assertThat(ImageIO.read(tmp.resolve("s.png").toFile()).getWidth()).isEqualTo(240);

        SyntheticGenerator g = new SyntheticGenerator(SynthConfig.small());
        Sample handshake = g.generate(g.classNames().indexOf("handshake"));
        SkeletonRenderer sr = new SkeletonRenderer(NTU, g.classNames(), SMALL);
        BufferedImage img = sr.frame(handshake, handshake.validFrames() / 2);
        int orange = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (((rgb >> 16) & 0xFF) > (rgb & 0xFF) + 60) {
                    orange++;
                }
            }
        }
        assertThat(g.classNames().get(handshake.label())).isEqualTo("handshake");
        assertThat(orange).as("the second person is drawn").isGreaterThan(20);
    }

    @Test
    void rejectsBadOptionsAndLayouts() {
        assertThatThrownBy(() -> new SkeletonRenderer.Options(10, 100, 1)).hasMessageContaining("32..4096");
        assertThatThrownBy(() -> new SkeletonRenderer.Options(100, 100, 0)).hasMessageContaining("stride");
        Sample s = figure(2, 2);
        SkeletonRenderer kinect = new SkeletonRenderer(Layouts.kinectV1(), List.of(), SMALL);
        assertThatThrownBy(() -> kinect.frame(s, 0)).hasMessageContaining("has 25 joints, layout kinect-v1-20 has 20");
    }
}
