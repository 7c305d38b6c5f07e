package io.skeletonssl.formats;

import io.skeletonssl.dataset.Sample;


/**
 * Wraps a source so that every sequence is centred the way the 2s-AGCN {@code pre_normalization}
 * that PCM3 uses centres NTU (spec §1.3, step 2): the layout's centre joint of person 1 in the first
 * frame where it is present is subtracted from every joint of every person in every frame; all-zero
 * (absent) joints stay zero. Raw camera coordinates (metres from the sensor, the depth axis around
 * 3 m) otherwise dominate PCM3's position-reconstruction target once the shear mixes the axes.
 * Only translation; {@link NormalizedSource} with a {@link Normalization.Plan} also rotates
 * ({@code prepare --normalize align}) and records what it did in the manifest.
 */
public final class CentredSource extends NormalizedSource {

    public CentredSource(SampleSource inner) {
        this(inner, inner.info().layout().center());
    }

    private CentredSource(SampleSource inner, int centre) {
        super(inner, "centred", "person 1, joint " + centre + ", first present frame",
                (d, t, v, m) -> centred(d, t, v, m, centre));
    }

    /**
     * A centred copy of (3, T, V, M) data. A sequence whose centre joint is never present is returned
     * unchanged (there is nothing to centre on).
     */
    public static float[] centred(float[] data, int frames, int joints, int persons, int centre) {
        float[] out = data.clone();
        float[] origin = null;
        for (int t = 0; t < frames && origin == null; t++) {
            float[] p = new float[3];
            boolean present = false;
            for (int c = 0; c < 3; c++) {
                p[c] = data[Sample.index(c, t, centre, 0, frames, joints, persons)];
                present |= p[c] != 0f;
            }
            origin = present ? p : null;
        }
        if (origin == null) {
            return out;
        }
        for (int t = 0; t < frames; t++) {
            for (int v = 0; v < joints; v++) {
                for (int m = 0; m < persons; m++) {
                    int x = Sample.index(0, t, v, m, frames, joints, persons);
                    int stride = frames * joints * persons;
                    if (data[x] == 0f && data[x + stride] == 0f && data[x + 2 * stride] == 0f) {
                        continue; // an absent joint stays absent
                    }
                    for (int c = 0; c < 3; c++) {
                        out[x + c * stride] -= origin[c];
                    }
                }
            }
        }
        return out;
    }
}
