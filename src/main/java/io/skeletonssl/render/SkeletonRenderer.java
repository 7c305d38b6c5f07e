package io.skeletonssl.render;

import com.madgag.gif.fmsware.AnimatedGifEncoder;
import io.skeletonssl.dataset.Record;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.StreamSample;
import io.skeletonssl.layout.SkeletonLayout;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Draws skeleton sequences: each frame as two panels side by side, the front view (x right, y up,
 * as in the Kinect depth image) and the side view (z, the depth, to the right, y up), with the
 * layout's bones, joints as dots, persons in different colours (the subject's right side darker,
 * the left side lighter) and a title with the sample name, label and frame number.
 *
 * <p>The scale is fixed for the whole sequence and the same in both panels, computed from every
 * joint that is not exactly (0, 0, 0); such zero joints (missing persons, tracking dropouts) are
 * not drawn. Only the first validFrames frames are rendered. Works headless.
 */
public final class SkeletonRenderer {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Frames per second of the source data (Kinect: 30). */
    public static final double SOURCE_FPS = 30;

    /** Title band height above the panels, pixels. */
    public static final int TITLE_HEIGHT = 40;

    /**
     * @param panelWidth  width of one view panel, pixels
     * @param panelHeight height of one view panel, pixels
     * @param stride      render every stride-th frame (the GIF delay grows to match, keeping real time)
     */
    public record Options(int panelWidth, int panelHeight, int stride) {
        public Options {
            if (panelWidth < 32 || panelHeight < 32 || panelWidth > 4096 || panelHeight > 4096) {
                throw new IllegalArgumentException("panel size must be 32..4096 pixels, got " + panelWidth + "x"
                        + panelHeight);
            }
            if (stride < 1) {
                throw new IllegalArgumentException("stride must be at least 1, got " + stride);
            }
        }

        public static Options defaults() {
            return new Options(320, 360, 1);
        }
    }

    private static final Color BACKGROUND = Color.WHITE;
    private static final Color PANEL = new Color(246, 246, 246);
    private static final Color TEXT = new Color(30, 30, 30);
    /** Per person: trunk, right side, left side. */
    private static final Color[][] PERSON_COLOURS = {
            {new Color(20, 50, 140), new Color(10, 80, 220), new Color(110, 175, 255)},
            {new Color(150, 40, 0), new Color(215, 70, 0), new Color(255, 160, 80)},
            {new Color(20, 120, 40), new Color(30, 160, 60), new Color(130, 220, 140)},
            {new Color(110, 30, 130), new Color(150, 50, 180), new Color(210, 150, 230)}};

    private final SkeletonLayout layout;
    private final List<String> classNames;
    private final Options options;
    private final List<int[]> edges;
    private final int[] side;

    public SkeletonRenderer(SkeletonLayout layout, List<String> classNames, Options options) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.classNames = classNames == null ? List.of() : List.copyOf(classNames);
        this.options = Objects.requireNonNull(options, "options");
        this.edges = layout.edges();
        this.side = new int[layout.numJoints()];
        for (int j = 0; j < side.length; j++) {
            String n = layout.jointNames().get(j).toLowerCase(Locale.ROOT);
            side[j] = n.contains("right") ? 1 : n.contains("left") ? 2 : 0;
        }
    }

    public Options options() {
        return options;
    }

    /** A sequence as the renderer sees it. */
    private record Seq(float[] data, int frames, int joints, int persons, int valid, String name,
                       IntFunction<String> label) {
        float get(int c, int t, int v, int m) {
            return data[((c * frames + t) * joints + v) * persons + m];
        }

        boolean present(int t, int v, int m) {
            return get(0, t, v, m) != 0f || get(1, t, v, m) != 0f || get(2, t, v, m) != 0f;
        }
    }

    private Seq seq(Sample s) {
        checkJoints(s.joints(), s.name());
        String label = labelText(s.label());
        return new Seq(s.data(), s.frames(), s.joints(), s.persons(), s.validFrames(), s.name(), t -> label);
    }

    private Seq seq(StreamSample s) {
        checkJoints(s.joints(), s.name());
        int[] fl = s.frameLabels();
        return new Seq(s.data(), s.frames(), s.joints(), s.persons(), s.frames(), s.name(),
                t -> fl[t] == 0 ? "background" : labelText(fl[t] - 1));
    }

    private void checkJoints(int joints, String name) {
        if (joints != layout.numJoints()) {
            throw new IllegalArgumentException("sample " + name + " has " + joints + " joints, layout "
                    + layout.name() + " has " + layout.numJoints());
        }
    }

    private String labelText(int label) {
        if (label < 0) {
            return "unlabelled";
        }
        String n = label < classNames.size() ? classNames.get(label) : "class " + label;
        return "label " + label + ": " + n;
    }

    // ---- public API --------------------------------------------------------------------------

    /** Frame {@code t} (0-based, below validFrames) as an image of 2·panelWidth × (TITLE_HEIGHT + panelHeight). */
    public BufferedImage frame(Sample s, int t) {
        Seq q = seq(s);
        return frame(q, bounds(q), t);
    }

    public BufferedImage frame(StreamSample s, int t) {
        Seq q = seq(s);
        return frame(q, bounds(q), t);
    }

    /** The frames a GIF holds: 0, stride, 2·stride, ... below validFrames. */
    public int gifFrameCount(int validFrames) {
        return (validFrames + options.stride - 1) / options.stride;
    }

    /** GIF frame delay in milliseconds: stride / 30 s. */
    public int gifDelayMillis() {
        return (int) Math.round(1000.0 * options.stride / SOURCE_FPS);
    }

    public void writeGif(Sample s, Path out) throws IOException {
        writeGif(seq(s), out);
    }

    public void writeGif(StreamSample s, Path out) throws IOException {
        writeGif(seq(s), out);
    }

    /** {@code count} evenly spaced frames in a row, each with the front view above the side view. */
    public BufferedImage strip(Sample s, int count) {
        return strip(seq(s), count);
    }

    public BufferedImage strip(StreamSample s, int count) {
        return strip(seq(s), count);
    }

    public void writeStrip(Sample s, int count, Path out) throws IOException {
        writePng(strip(seq(s), count), out);
    }

    public void writeStrip(StreamSample s, int count, Path out) throws IOException {
        writePng(strip(seq(s), count), out);
    }

    /** Writes a GIF or a PNG strip of {@code stripFrames} frames, chosen by the file extension. */
    public void write(Record r, Path out, int stripFrames) throws IOException {
        Seq q = r instanceof Sample s ? seq(s) : seq((StreamSample) r);
        String lower = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".gif")) {
            writeGif(q, out);
        } else if (lower.endsWith(".png")) {
            writePng(strip(q, stripFrames), out);
        } else {
            throw new IllegalArgumentException("render output " + out + ": expected a .gif or .png file name");
        }
    }

    /** Width and height of a strip of {@code count} frames of a sequence with {@code validFrames}. */
    public int[] stripSize(int count, int validFrames) {
        int n = stripCount(count, validFrames);
        return new int[]{Math.max(n, 1) * options.panelWidth, TITLE_HEIGHT + 2 * options.panelHeight};
    }

    // ---- drawing -------------------------------------------------------------------------------

    /** Axis ranges over all present joints of the valid frames: min/max of x, y, z. */
    private static double[] bounds(Seq q) {
        double[] b = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE,
                -Double.MAX_VALUE};
        boolean any = false;
        for (int t = 0; t < q.valid; t++) {
            for (int m = 0; m < q.persons; m++) {
                for (int v = 0; v < q.joints; v++) {
                    if (!q.present(t, v, m)) {
                        continue;
                    }
                    for (int c = 0; c < 3; c++) {
                        float x = q.get(c, t, v, m);
                        if (!Float.isFinite(x)) {
                            continue;
                        }
                        b[2 * c] = Math.min(b[2 * c], x);
                        b[2 * c + 1] = Math.max(b[2 * c + 1], x);
                        any = true;
                    }
                }
            }
        }
        if (!any) {
            return new double[]{-1, 1, -1, 1, -1, 1};
        }
        return b;
    }

    /** Maps metres to pixels for one panel: a shared scale, each axis centred. */
    private record Mapping(double scale, double cx, double cy, double w, double h) {
        double px(double a) {
            return w / 2 + (a - cx) * scale;
        }

        double py(double y) {
            return h / 2 - (y - cy) * scale;
        }
    }

    private Mapping[] mappings(double[] b) {
        double pad = 0.08;
        double w = options.panelWidth;
        double h = options.panelHeight;
        double spanX = Math.max(b[1] - b[0], 1e-3);
        double spanY = Math.max(b[3] - b[2], 1e-3);
        double spanZ = Math.max(b[5] - b[4], 1e-3);
        double scale = Math.min(w * (1 - 2 * pad) / Math.max(spanX, spanZ), h * (1 - 2 * pad) / spanY);
        double cy = (b[2] + b[3]) / 2;
        return new Mapping[]{new Mapping(scale, (b[0] + b[1]) / 2, cy, w, h),
                new Mapping(scale, (b[4] + b[5]) / 2, cy, w, h)};
    }

    private BufferedImage frame(Seq q, double[] b, int t) {
        checkFrame(q, t);
        int w = options.panelWidth;
        int h = options.panelHeight;
        BufferedImage img = new BufferedImage(2 * w, TITLE_HEIGHT + h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(q.name, 6, 16);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(q.label.apply(t) + "   frame " + (t + 1) + "/" + q.valid, 6, 33);
        Mapping[] maps = mappings(b);
        drawPanel(g, q, t, maps[0], 0, 0, TITLE_HEIGHT, "front (x-y)");
        drawPanel(g, q, t, maps[1], 2, w, TITLE_HEIGHT, "side (z-y)");
        g.dispose();
        return img;
    }

    private BufferedImage strip(Seq q, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("strip needs at least 1 frame, got " + count);
        }
        int n = stripCount(count, q.valid);
        int w = options.panelWidth;
        int h = options.panelHeight;
        BufferedImage img = new BufferedImage(Math.max(n, 1) * w, TITLE_HEIGHT + 2 * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(q.name + "   " + (q.valid > 0 ? q.label.apply(0) : "") + "   " + q.valid + " frames", 6, 16);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        double[] b = bounds(q);
        Mapping[] maps = mappings(b);
        for (int k = 0; k < n; k++) {
            int t = n == 1 ? (q.valid - 1) / 2 : (int) Math.round((double) k * (q.valid - 1) / (n - 1));
            drawPanel(g, q, t, maps[0], 0, k * w, TITLE_HEIGHT, "front, frame " + (t + 1));
            drawPanel(g, q, t, maps[1], 2, k * w, TITLE_HEIGHT + h, "side, frame " + (t + 1));
        }
        g.dispose();
        return img;
    }

    private static int stripCount(int count, int valid) {
        return Math.min(count, valid);
    }

    private static void checkFrame(Seq q, int t) {
        if (t < 0 || t >= q.valid) {
            throw new IndexOutOfBoundsException("frame " + t + " of " + q.name + " outside 0.." + (q.valid - 1)
                    + " (valid frames)");
        }
    }

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    /** One view of frame t: horizontal axis = coordinate {@code horizontal} (0 = x, 2 = z), vertical = y. */
    private void drawPanel(Graphics2D g, Seq q, int t, Mapping map, int horizontal, int ox, int oy, String caption) {
        int w = options.panelWidth;
        int h = options.panelHeight;
        g.setColor(PANEL);
        g.fillRect(ox + 1, oy + 1, w - 2, h - 2);
        g.setColor(Color.GRAY);
        g.drawString(caption, ox + 6, oy + h - 6);
        float stroke = Math.max(1.5f, w / 110f);
        int dot = Math.max(3, Math.round(w / 55f));
        g.setStroke(new BasicStroke(stroke, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        java.awt.Shape clip = g.getClip();
        g.clipRect(ox + 1, oy + 1, w - 2, h - 2);
        for (int m = 0; m < q.persons; m++) {
            Color[] colours = PERSON_COLOURS[m % PERSON_COLOURS.length];
            for (int[] e : edges) {
                if (!q.present(t, e[0], m) || !q.present(t, e[1], m)) {
                    continue;
                }
                g.setColor(colours[side[e[0]]]);
                g.drawLine(ox + (int) Math.round(map.px(q.get(horizontal, t, e[0], m))),
                        oy + (int) Math.round(map.py(q.get(1, t, e[0], m))),
                        ox + (int) Math.round(map.px(q.get(horizontal, t, e[1], m))),
                        oy + (int) Math.round(map.py(q.get(1, t, e[1], m))));
            }
            for (int v = 0; v < q.joints; v++) {
                if (!q.present(t, v, m)) {
                    continue;
                }
                g.setColor(colours[side[v]].darker());
                int x = ox + (int) Math.round(map.px(q.get(horizontal, t, v, m)));
                int y = oy + (int) Math.round(map.py(q.get(1, t, v, m)));
                g.fillOval(x - dot / 2, y - dot / 2, dot, dot);
            }
        }
        g.setClip(clip);
    }

    private void writeGif(Seq q, Path out) throws IOException {
        if (q.valid == 0) {
            throw new IllegalArgumentException("sample " + q.name + " has no valid frame to render");
        }
        double[] b = bounds(q);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream os = Files.newOutputStream(out)) {
            AnimatedGifEncoder enc = new AnimatedGifEncoder();
            if (!enc.start(os)) {
                throw new IOException("cannot start GIF output " + out);
            }
            enc.setRepeat(0);
            enc.setDelay(gifDelayMillis());
            for (int t = 0; t < q.valid; t += options.stride) {
                if (!enc.addFrame(frame(q, b, t))) {
                    throw new IOException("GIF encoder failed on frame " + t + " of " + out);
                }
            }
            if (!enc.finish()) {
                throw new IOException("cannot finish GIF " + out);
            }
        }
    }

    private static void writePng(BufferedImage img, Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", out.toFile())) {
            throw new IOException("no PNG writer available for " + out);
        }
    }
}
