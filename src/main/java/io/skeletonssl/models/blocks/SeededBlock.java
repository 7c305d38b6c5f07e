package io.skeletonssl.models.blocks;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of the model blocks: a DJL {@link AbstractBlock} whose parameters carry their init rule and
 * get PyTorch-style dotted names ({@code blocks.0.attn.qkv.weight}), so that checkpoints can be
 * mapped by name. Initialisation is explicit and seeded: {@link #initializeSeeded} draws every
 * parameter from a generator seeded by (seed, dotted name), so the result depends on nothing else.
 *
 * <p>Subclasses compute with typed {@code forward} methods on NDArrays; DJL's generic
 * {@code forward(ParameterStore, NDList, ...)} is not used by this project.
 */
public abstract class SeededBlock extends AbstractBlock {

    private final Map<String, Parameter> ownParameters = new LinkedHashMap<>();
    private final Map<String, SeededBlock> namedChildren = new LinkedHashMap<>();

    protected Parameter param(String name, Shape shape, InitRule rule) {
        return register(name, shape, rule, true);
    }

    /**
     * A named state array that is saved and seeded like a parameter but never trained (PyTorch's
     * registered buffers, e.g. BatchNorm running statistics): it gets no gradient and is left out of
     * {@link #trainableParameterCount}.
     */
    protected Parameter buffer(String name, Shape shape, InitRule rule) {
        return register(name, shape, rule, false);
    }

    private Parameter register(String name, Shape shape, InitRule rule, boolean trained) {
        Parameter p = Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(shape)
                .optInitializer(rule)
                .optRequiresGrad(trained)
                .build();
        ownParameters.put(name, addParameter(p));
        return p;
    }

    protected <B extends SeededBlock> B child(String name, B block) {
        namedChildren.put(name, block);
        addChildBlock(name, block);
        return block;
    }

    /** Every parameter of this block tree under its dotted name, in definition order. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        ownParameters.forEach((n, p) -> out.put(prefix + n, p));
        namedChildren.forEach((n, c) -> c.collect(prefix + n + ".", out));
    }

    /** Creates every parameter array on {@code manager}, deterministically from {@code seed}. */
    public void initializeSeeded(NDManager manager, long seed) {
        for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
            Parameter p = e.getValue();
            if (p.isInitialized()) {
                p.close();
            }
            InitRule rule = (InitRule) p.getInitializer();
            p.setInitializer(rule.withSeed(mix(seed, e.getKey())));
            p.initialize(manager, DataType.FLOAT32);
        }
    }

    /** Number of values over all parameters that require gradients. */
    public long trainableParameterCount() {
        return namedParameters().values().stream()
                .filter(Parameter::requiresGradient)
                .mapToLong(p -> p.getShape().size())
                .sum();
    }

    static long mix(long seed, String name) {
        long h = seed * 0x9E3779B97F4A7C15L + name.hashCode();
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " is called through its typed forward methods");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " does not infer shapes; see its typed forward methods");
    }
}
