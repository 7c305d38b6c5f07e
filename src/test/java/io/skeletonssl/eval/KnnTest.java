package io.skeletonssl.eval;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KnnTest {

    private static Features f(int[] labels, float[]... rows) {
        return new Features(rows, labels, 0);
    }

    @Test
    void cosineNotEuclidean() {
        // query (1,0): euclidean-nearest is (0.9,0.5) (distance 0.51) but its cosine is 0.87; (10,1) has cosine 0.995
        Features gallery = f(new int[]{7, 3}, new float[]{0.9f, 0.5f}, new float[]{10f, 1f});
        Features query = f(new int[]{3}, new float[]{1f, 0f});
        assertThat(Knn.predict(gallery, query, 1)).containsExactly(3);
        assertThat(Knn.top1(gallery, query, 1)).isEqualTo(100.0);
    }

    @Test
    void tiesGoToTheLowestGalleryIndex() {
        // rows 1 and 2 point the same way (equal cosine to the query); row 1 wins whatever their lengths
        Features gallery = f(new int[]{0, 4, 5}, new float[]{0f, 1f}, new float[]{2f, 2f}, new float[]{1f, 1f});
        Features query = f(new int[]{5}, new float[]{1f, 1f});
        assertThat(Knn.predict(gallery, query, 1)).containsExactly(4);
        assertThat(Knn.top1(gallery, query, 1)).isZero();
        Features swapped = f(new int[]{0, 5, 4}, new float[]{0f, 1f}, new float[]{1f, 1f}, new float[]{2f, 2f});
        assertThat(Knn.predict(swapped, query, 1)).containsExactly(5);
    }

    @Test
    void nearestIsOrderedAndStable() {
        float[] sims = {9, 0.5f, 1, 0.2f, 1, -1, 9}; // row 0 of the block is sims[1..6)
        assertThat(Knn.nearest(sims, 1, 5, 3)).containsExactly(1, 3, 0);
        assertThat(Knn.nearest(sims, 1, 5, 1)).containsExactly(1);
        assertThat(Knn.nearest(sims, 1, 5, 5)).containsExactly(1, 3, 0, 2, 4);
    }

    @Test
    void majorityVoteWithTiesToTheNearest() {
        int[] labels = {1, 2, 2, 1, 9};
        assertThat(Knn.vote(new int[]{0, 1, 2}, labels)).isEqualTo(2); // 2 beats 1 two to one
        assertThat(Knn.vote(new int[]{0, 1, 2, 3}, labels)).isEqualTo(1); // 2:2, label of the nearest (row 0)
        assertThat(Knn.vote(new int[]{1, 0, 3, 2}, labels)).isEqualTo(2); // 2:2, nearest is row 1
        assertThat(Knn.vote(new int[]{4, 0, 1}, labels)).isEqualTo(9); // all 1:1:1 -> nearest
    }

    @Test
    void kNearestVotesOverTheGallery() {
        // query along x: nearest is a lone label-0 row, then two label-1 rows
        Features gallery = f(new int[]{0, 1, 1, 2}, new float[]{1f, 0f}, new float[]{1f, 0.1f},
                new float[]{1f, 0.2f}, new float[]{0f, 1f});
        Features query = f(new int[]{1}, new float[]{1f, 0f});
        assertThat(Knn.predict(gallery, query, 1)).containsExactly(0);
        assertThat(Knn.predict(gallery, query, 3)).containsExactly(1);
        assertThat(Knn.predict(gallery, query, 10)).containsExactly(1); // k capped at the gallery size
    }

    @Test
    void manyQueriesAcrossBlocksMatchOneByOne() {
        java.util.Random r = new java.util.Random(5);
        int n = Knn.BLOCK + 37;
        float[][] g = new float[50][8];
        int[] gl = new int[50];
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < 8; j++) {
                g[i][j] = (float) r.nextGaussian();
            }
            gl[i] = i % 5;
        }
        float[][] q = new float[n][8];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 8; j++) {
                q[i][j] = (float) r.nextGaussian();
            }
        }
        Features gallery = new Features(g, gl, 0);
        int[] all = Knn.predict(gallery, new Features(q, new int[n], 0), 1);
        for (int i : new int[]{0, Knn.BLOCK - 1, Knn.BLOCK, n - 1}) {
            assertThat(Knn.predict(gallery, new Features(new float[][]{q[i]}, new int[1], 0), 1)[0]).isEqualTo(all[i]);
        }
        assertThat(all).contains(0, 1, 2, 3, 4);
    }

    @Test
    void badInput() {
        Features one = f(new int[]{0}, new float[]{1f, 0f});
        assertThatThrownBy(() -> Knn.predict(one, one, 0)).hasMessageContaining("k must be >= 1");
        assertThatThrownBy(() -> Knn.predict(new Features(new float[0][], new int[0], 0), one, 1))
                .hasMessageContaining("gallery (train split) has no clips");
        assertThatThrownBy(() -> Knn.predict(one, f(new int[]{0}, new float[]{1f, 0f, 0f}), 1))
                .hasMessageContaining("dim 3, gallery 2");
    }
}
