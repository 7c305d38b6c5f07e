package io.skeletonssl.loader;

/**
 * A {@link ClipSource} that shows the clips of another source: clip i here is clip
 * {@link #sourceIndex}(i) there, with its shape, label, valid frames and name. Subclasses choose
 * the clips (a subset) or change how they read (an occluded view).
 */
public abstract class ClipView implements ClipSource {

    protected final ClipSource source;

    protected ClipView(ClipSource source) {
        this.source = source;
    }

    /** The index in {@link #source} of clip {@code i}. */
    protected abstract int sourceIndex(int i);

    @Override
    public int frames() {
        return source.frames();
    }

    @Override
    public int joints() {
        return source.joints();
    }

    @Override
    public int persons() {
        return source.persons();
    }

    @Override
    public void read(int i, float[] dst, int off) {
        source.read(sourceIndex(i), dst, off);
    }

    @Override
    public int validFrames(int i) {
        return source.validFrames(sourceIndex(i));
    }

    @Override
    public int label(int i) {
        return source.label(sourceIndex(i));
    }

    @Override
    public String name(int i) {
        return source.name(sourceIndex(i));
    }
}
