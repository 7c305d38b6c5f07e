package io.skeletonssl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.skeletonssl.engine.FusedOptim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Shared bookkeeping: trainable parameters, their decay, state arrays on a long-lived manager. */
abstract class AbstractParamOptimizer implements ParamOptimizer {

    /** {@code lrScale}: this parameter's learning rate is {@code lr·lrScale} (layer-wise decay; 1 otherwise). */
    record Slot(String name, Parameter parameter, double weightDecay, double lrScale) {
    }

    protected final List<Slot> slots = new ArrayList<>();
    /** {@link #slots} grouped by weight decay and learning-rate scale, in first-appearance order. */
    private final List<List<Slot>> groups;
    private final NDManager stateManager;
    private final List<String> kinds;
    /** kind → (parameter name → state array). */
    private final Map<String, Map<String, NDArray>> state = new LinkedHashMap<>();
    private long steps;

    AbstractParamOptimizer(PairList<String, Parameter> params, WeightDecayGroups decay, List<String> kinds) {
        this(params, decay, Map.of(), kinds);
    }

    /** {@code lrScales}: per-parameter learning-rate factors (missing names: 1), as torch param groups' lr_scale. */
    AbstractParamOptimizer(PairList<String, Parameter> params, WeightDecayGroups decay, Map<String, Double> lrScales,
                           List<String> kinds) {
        for (Pair<String, Parameter> p : params) {
            if (decay.contains(p.getKey())) {
                double scale = lrScales.getOrDefault(p.getKey(), 1.0);
                if (!(scale >= 0) || Double.isInfinite(scale)) {
                    throw new IllegalArgumentException("lr scale of " + p.getKey() + " must be finite and >= 0, got " + scale);
                }
                slots.add(new Slot(p.getKey(), p.getValue(), decay.decayOf(p.getKey()), scale));
            }
        }
        if (slots.isEmpty()) {
            throw new IllegalArgumentException("no trainable parameters to optimise");
        }
        this.groups = groupsOf(slots);
        this.kinds = List.copyOf(kinds);
        for (String k : kinds) {
            state.put(k, new LinkedHashMap<>());
        }
        this.stateManager = slots.get(0).parameter().getArray().getManager().newSubManager();
    }

    @Override
    public final void step(double lr) {
        if (!Double.isFinite(lr) || lr < 0) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
        }
        steps++;
        // Everything created during the update (gradient views, temporaries) is closed here;
        // state arrays are created on stateManager and unregistered from the scope.
        try (NDScope ignored = new NDScope()) {
            boolean fused = FusedOptim.available(slots.get(0).parameter().getArray());
            for (List<Slot> group : groups) {
                if (fused && updateFused(group, lr * group.get(0).lrScale(), steps)) {
                    continue;
                }
                for (Slot s : group) {
                    NDArray p = s.parameter().getArray();
                    update(s, p, p.getGradient(), lr * s.lrScale(), steps);
                }
            }
        }
    }

    /** The slots in groups of equal weight decay and learning-rate scale (one fused call each). */
    private static List<List<Slot>> groupsOf(List<Slot> slots) {
        Map<List<Double>, List<Slot>> byKey = new LinkedHashMap<>();
        for (Slot s : slots) {
            byKey.computeIfAbsent(List.of(s.weightDecay(), s.lrScale()), k -> new ArrayList<>()).add(s);
        }
        List<List<Slot>> out = new ArrayList<>();
        byKey.values().forEach(g -> out.add(List.copyOf(g)));
        return List.copyOf(out);
    }

    /**
     * Updates all of {@code group} (one weight decay and lr scale) in one engine call, if this
     * optimizer has a fused form; false means the caller updates slot by slot instead.
     */
    protected boolean updateFused(List<Slot> group, double lr, long step) {
        return false;
    }

    /** The parameter arrays of {@code group}, in order. */
    protected static List<NDArray> arrays(List<Slot> group) {
        List<NDArray> out = new ArrayList<>(group.size());
        group.forEach(s -> out.add(s.parameter().getArray()));
        return out;
    }

    /** The gradient arrays of {@code group}, in order (views, closed with the caller's scope). */
    protected static List<NDArray> gradients(List<Slot> group) {
        List<NDArray> out = new ArrayList<>(group.size());
        group.forEach(s -> out.add(s.parameter().getArray().getGradient()));
        return out;
    }

    @Override
    public boolean gradientsFinite() {
        try (NDScope ignored = new NDScope()) {
            if (FusedOptim.available(slots.get(0).parameter().getArray())) {
                return FusedOptim.allFinite(gradients(slots));
            }
            for (Slot s : slots) {
                NDArray g = s.parameter().getArray().getGradient();
                // sum of |g|·0 is NaN exactly when some element is NaN or infinite
                if (Float.isNaN(g.abs().mul(0f).sum().getFloat())) {
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public void zeroGradients() {
        try (NDScope ignored = new NDScope()) {
            if (FusedOptim.available(slots.get(0).parameter().getArray())) {
                FusedOptim.zero(gradients(slots));
                return;
            }
            for (Slot s : slots) {
                s.parameter().getArray().getGradient().set(new ai.djl.ndarray.index.NDIndex("..."), 0f);
            }
        }
    }

    /** Updates {@code p} in place. {@code step} counts from 1. */
    protected abstract void update(Slot slot, NDArray p, NDArray grad, double lr, long step);

    /** The state array of this kind for the slot, created (zero or from {@code init}) on first use. */
    protected NDArray stateOf(String kind, Slot slot, NDArray initOrNull) {
        Map<String, NDArray> m = state.get(kind);
        NDArray a = m.get(slot.name());
        if (a == null) {
            NDArray p = slot.parameter().getArray();
            a = initOrNull == null ? stateManager.zeros(p.getShape(), p.getDataType()) : initOrNull.duplicate();
            a.attach(stateManager);
            NDScope.unregister(a);
            m.put(slot.name(), a);
        }
        return a;
    }

    protected boolean hasState(String kind, Slot slot) {
        return state.get(kind).containsKey(slot.name());
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Map<String, NDArray> stateArrays() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        state.forEach((kind, m) -> m.forEach((name, a) -> out.put(kind + "/" + name, a)));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public void loadState(long newSteps, Map<String, HostTensor> saved) {
        Map<String, Slot> byName = new LinkedHashMap<>();
        slots.forEach(s -> byName.put(s.name(), s));
        Set<String> unknown = new TreeSet<>();
        for (Map.Entry<String, HostTensor> e : saved.entrySet()) {
            int slash = e.getKey().indexOf('/');
            String kind = slash < 0 ? "" : e.getKey().substring(0, slash);
            String name = slash < 0 ? e.getKey() : e.getKey().substring(slash + 1);
            Slot s = byName.get(name);
            if (!kinds.contains(kind) || s == null) {
                unknown.add(e.getKey());
                continue;
            }
            long[] expected = s.parameter().getArray().getShape().getShape();
            if (!Arrays.equals(expected, e.getValue().shape())) {
                throw new IllegalArgumentException("optimizer state " + e.getKey() + " has shape "
                        + e.getValue().djlShape() + ", parameter expects " + s.parameter().getArray().getShape());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("optimizer state has entries for unknown parameters or kinds: " + unknown
                    + " (kinds here: " + kinds + ")");
        }
        for (Map<String, NDArray> m : state.values()) {
            m.values().forEach(NDArray::close);
            m.clear();
        }
        for (Map.Entry<String, HostTensor> e : saved.entrySet()) {
            int slash = e.getKey().indexOf('/');
            String kind = e.getKey().substring(0, slash);
            String name = e.getKey().substring(slash + 1);
            NDArray a = stateManager.create(e.getValue().data(), e.getValue().djlShape());
            state.get(kind).put(name, a);
        }
        this.steps = newSteps;
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
