package io.skeletonssl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.skeletonssl.engine.InPlace;
import io.skeletonssl.engine.NoGradient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory copy of everything a checkpoint holds: the session's state (trained parameters,
 * buffers such as BatchNorm statistics, a momentum encoder, a queue) and the optimizer's step count
 * and state arrays (momentum buffers, moments). Taking it copies the arrays on the engine (one
 * memcpy each, no host transfer); restoring writes them back in place and reloads the optimizer as
 * a resume does, so training after a restore is the training after the snapshot, bit for bit.
 * Holds one copy at a time (as much memory again as the state and the optimizer).
 */
public final class StateSnapshot implements AutoCloseable {

    private final NDManager manager;
    private final List<NDArray> parameters = new ArrayList<>();
    private final Map<String, NDArray> optimizerState = new LinkedHashMap<>();
    private long optimizerSteps;
    private boolean taken;

    public StateSnapshot(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    /** Replaces the copy with the current values of {@code state} and {@code optimizer}. */
    public void take(PairList<String, Parameter> state, ParamOptimizer optimizer) {
        clear();
        try (NoGradient off = NoGradient.enter()) {
            for (Pair<String, Parameter> p : state) {
                parameters.add(copyOf(p.getValue().getArray()));
            }
            optimizer.stateArrays().forEach((k, a) -> optimizerState.put(k, copyOf(a)));
        }
        optimizerSteps = optimizer.steps();
        taken = true;
    }

    private NDArray copyOf(NDArray a) {
        NDArray c = a.duplicate();
        c.attach(manager);
        NDScope.unregister(c);
        return c;
    }

    /** Writes the copy back into {@code state} (the same list as taken) and {@code optimizer}. */
    public void restore(PairList<String, Parameter> state, ParamOptimizer optimizer) {
        if (!taken) {
            throw new IllegalStateException("no snapshot taken");
        }
        if (state.size() != parameters.size()) {
            throw new IllegalArgumentException("snapshot of " + parameters.size() + " arrays, state has " + state.size());
        }
        for (int i = 0; i < state.size(); i++) {
            InPlace.copy(state.get(i).getValue().getArray(), parameters.get(i));
        }
        // rare (a rollback): through host copies, the path a resume takes
        Map<String, HostTensor> saved = new LinkedHashMap<>();
        optimizerState.forEach((k, a) -> saved.put(k, HostTensor.of(a)));
        optimizer.loadState(optimizerSteps, saved);
        optimizer.zeroGradients();
    }

    private void clear() {
        parameters.forEach(NDArray::close);
        parameters.clear();
        optimizerState.values().forEach(NDArray::close);
        optimizerState.clear();
        taken = false;
    }

    @Override
    public void close() {
        clear();
        manager.close();
    }
}
