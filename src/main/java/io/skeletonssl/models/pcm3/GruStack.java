package io.skeletonssl.models.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.skeletonssl.engine.GruOp;
import io.skeletonssl.models.blocks.InitRule;
import io.skeletonssl.models.blocks.SeededBlock;

import java.util.ArrayList;
import java.util.List;

/**
 * A multi-layer GRU with PyTorch's parameters and names ({@code weight_ih_l0}, {@code bias_hh_l2_reverse},
 * ...; weight rows ordered [r; z; n]), evaluated with torch's fused GRU over whole sequences (batch first).
 *
 * <p>Two evaluations: {@link #forward} is the ordinary GRU (with two directions a true bidirectional one,
 * the second direction running from the last frame back); {@link #forwardEachDirectionForward} runs every
 * direction's weights forward in time and concatenates them per layer, which is what the released PCM3
 * code computes by stepping a bidirectional GRU one frame at a time (§3.3). Each is one torch call per
 * layer and direction at most, never a per-frame loop.
 */
public final class GruStack extends SeededBlock {

    private final int input;
    private final int hidden;
    private final int layers;
    private final int directions;
    /** Per layer, per direction: w_ih, w_hh, b_ih, b_hh (torch's flat-weight order). */
    private final List<Parameter[]> cells = new ArrayList<>();

    public GruStack(int input, int hidden, int layers, int directions, InitRule weightInit, InitRule biasInit) {
        if (input <= 0 || hidden <= 0 || layers <= 0 || directions < 1 || directions > 2) {
            throw new IllegalArgumentException("GRU needs positive input/hidden/layers and 1 or 2 directions; got input "
                    + input + ", hidden " + hidden + ", layers " + layers + ", directions " + directions);
        }
        this.input = input;
        this.hidden = hidden;
        this.layers = layers;
        this.directions = directions;
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? input : hidden * directions;
            for (int d = 0; d < directions; d++) {
                String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
                cells.add(new Parameter[] {
                    param("weight_ih" + sfx, new Shape(3L * hidden, in), weightInit),
                    param("weight_hh" + sfx, new Shape(3L * hidden, hidden), weightInit),
                    param("bias_ih" + sfx, new Shape(3L * hidden), biasInit),
                    param("bias_hh" + sfx, new Shape(3L * hidden), biasInit)});
            }
        }
    }

    /** PyTorch's default GRU init: every weight and bias U(±1/sqrt(hidden)). */
    public static GruStack torchDefault(int input, int hidden, int layers, int directions) {
        InitRule rule = InitRule.torchDefault(hidden);
        return new GruStack(input, hidden, layers, directions, rule, rule);
    }

    /** Trained values of a GRU of these sizes. */
    public static long parameterCount(long input, long hidden, int layers, int directions) {
        long total = 0;
        for (int l = 0; l < layers; l++) {
            long in = l == 0 ? input : hidden * directions;
            total += directions * (3 * hidden * (in + hidden) + 6 * hidden);
        }
        return total;
    }

    /** The ordinary (for two directions: truly bidirectional) GRU: (N, T, input) → (N, T, directions·hidden). */
    public NDArray forward(NDArray x, boolean training) {
        check(x);
        return run(x, allWeights(), layers, directions == 2, training);
    }

    /**
     * Every direction's weights run forward in time; per layer the outputs of the directions are
     * concatenated and feed the next layer: (N, T, input) → (N, T, directions·hidden).
     */
    public NDArray forwardEachDirectionForward(NDArray x, boolean training) {
        check(x);
        NDArray h = x;
        for (int l = 0; l < layers; l++) {
            NDList outs = new NDList();
            for (int d = 0; d < directions; d++) {
                outs.add(run(h, arrays(cells.get(l * directions + d)), 1, false, training));
            }
            NDArray next = outs.size() == 1 ? outs.get(0) : NDArrays.concat(outs, -1);
            if (outs.size() > 1) {
                outs.close(); // the graph keeps what backward needs; the handles can go
            }
            if (h != x) {
                h.close();
            }
            h = next;
        }
        return h;
    }

    /**
     * The whole stack (truly bidirectional for two directions) from hidden state {@code h0}
     * (layers·directions, N, hidden): returns the output (N, T, directions·hidden) and the final state.
     * Stepping this one frame at a time while carrying the state is exactly what the released PCM3
     * code does; PCM3 training does not use it, but autoregressive decoders (motion prediction) do.
     */
    public NDList forwardFrom(NDArray x, NDArray h0, boolean training) {
        check(x);
        if (GruOp.available(x)) {
            return bf16Stack(x, h0, allWeights(), layers, directions == 2);
        }
        return x.getNDArrayInternal().gru(x, h0, allWeights(), true, layers, 0.0, training, directions == 2, true);
    }

    private NDList allWeights() {
        NDList weights = new NDList();
        cells.forEach(cell -> weights.addAll(arrays(cell)));
        return weights;
    }

    private static NDList arrays(Parameter[] cell) {
        NDList out = new NDList(cell.length);
        for (Parameter p : cell) {
            out.add(p.getArray());
        }
        return out;
    }

    private NDArray run(NDArray x, NDList weights, int numLayers, boolean bidirectional, boolean training) {
        Shape s = x.getShape();
        int dirs = bidirectional ? 2 : 1;
        NDArray h0 = x.getManager().zeros(new Shape((long) numLayers * dirs, s.get(0), hidden), x.getDataType());
        if (GruOp.available(x)) {
            NDList out = bf16Stack(x, h0, weights, numLayers, bidirectional);
            out.get(1).close();
            return out.get(0);
        }
        // dropout is 0, so the training flag changes nothing but the backend's bookkeeping
        NDList out = x.getNDArrayInternal().gru(x, h0, weights, true, numLayers, 0.0, training, bidirectional, true);
        h0.close();
        out.get(1).close();
        return out.get(0);
    }

    /**
     * The stack of {@code numLayers} layers (two directions if {@code bidirectional}) in bfloat16,
     * composed of single-layer calls as torch composes its own: a reverse direction is the forward
     * recurrence over the time-reversed input, its output reversed back; per layer the directions'
     * outputs are concatenated. Returns the output and the final states (layers·directions, N, hidden).
     */
    private static NDList bf16Stack(NDArray x, NDArray h0, NDList weights, int numLayers, boolean bidirectional) {
        int dirs = bidirectional ? 2 : 1;
        NDArray h = x;
        NDList finals = new NDList();
        for (int l = 0; l < numLayers; l++) {
            NDList outs = new NDList();
            for (int d = 0; d < dirs; d++) {
                int cell = (l * dirs + d) * 4;
                NDArray in = d == 0 ? h : h.flip(1);
                NDArray state = h0.get(l * dirs + d).expandDims(0);
                NDList r = GruOp.layerBf16(in, state, weights.get(cell), weights.get(cell + 1), weights.get(cell + 2),
                        weights.get(cell + 3));
                outs.add(d == 0 ? r.get(0) : r.get(0).flip(1));
                finals.add(r.get(1));
            }
            h = outs.size() == 1 ? outs.get(0) : NDArrays.concat(outs, -1);
        }
        return new NDList(h, NDArrays.concat(finals, 0));
    }

    private void check(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 3 || s.get(2) != input || s.get(0) < 1 || s.get(1) < 1) {
            throw new IllegalArgumentException("GRU(" + input + " → " + hidden + ") expects (N, T, " + input
                    + ") with N, T >= 1, got " + s);
        }
    }

    public int hidden() {
        return hidden;
    }

    public int directions() {
        return directions;
    }
}
