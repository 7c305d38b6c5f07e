package io.skeletonssl.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.io.InputStream;

/**
 * A TorchScript module bundled as a resource of this package (made by
 * {@code src/main/python/make_engine_modules.py}): the way to torch operations that DJL 0.34 does
 * not expose. Loaded once, on first use, into a manager that lives as long as the process; calls
 * record gradients when the calling thread is in grad mode. On another engine, or when the module
 * cannot be loaded, {@link #available} is false and callers use their own computation.
 */
final class BundledModule {

    private final String resource;
    private final Object lock = new Object();
    private volatile PtSymbolBlock module;
    private volatile String failure;

    BundledModule(String resource) {
        this.resource = resource;
    }

    /** Whether the module can run on arrays like {@code like} (loads it on first use). */
    boolean available(NDArray like) {
        return module(like) != null;
    }

    /** Why the module is unavailable, or null. */
    String failure() {
        return failure;
    }

    /** The module's forward on {@code inputs}; call only when {@link #available}. */
    NDArray call(NDArray... inputs) {
        PtSymbolBlock m = module(inputs[0]);
        if (m == null) {
            throw new IllegalStateException(resource + " is unavailable: " + failure);
        }
        // Grad mode is per thread in PyTorch; the module runs under a no-grad guard unless told otherwise.
        return IValueUtils.forward(m, new NDList(inputs), JniUtils.isGradMode()).singletonOrThrow();
    }

    /** The module's forward on {@code inputs} when it returns a tuple of arrays; call only when {@link #available}. */
    NDList callAll(NDArray... inputs) {
        PtSymbolBlock m = module(inputs[0]);
        if (m == null) {
            throw new IllegalStateException(resource + " is unavailable: " + failure);
        }
        return IValueUtils.forward(m, new NDList(inputs), JniUtils.isGradMode());
    }

    /**
     * Runs the module's method {@code name} with arguments of these kinds: an array, a list of
     * arrays, a double, a boolean or a long; returns its tensor result on {@code out}'s manager.
     * Call only when {@link #available}.
     */
    NDArray callMethod(String name, NDArray out, Object... args) {
        PtSymbolBlock m = module(out);
        if (m == null) {
            throw new IllegalStateException(resource + " is unavailable: " + failure);
        }
        IValue[] values = new IValue[args.length];
        try {
            for (int i = 0; i < args.length; i++) {
                values[i] = ivalue(args[i]);
            }
            try (IValue result = IValueUtils.runMethod(m, name, values)) {
                return result.toTensor((PtNDManager) out.getManager());
            }
        } finally {
            for (IValue v : values) {
                if (v != null) {
                    v.close();
                }
            }
        }
    }

    private static IValue ivalue(Object arg) {
        if (arg instanceof PtNDArray a) {
            return IValue.from(a);
        }
        if (arg instanceof java.util.List<?> list) {
            PtNDArray[] arrays = new PtNDArray[list.size()];
            for (int i = 0; i < arrays.length; i++) {
                arrays[i] = (PtNDArray) list.get(i);
            }
            return IValue.listFrom(arrays);
        }
        if (arg instanceof Double d) {
            return IValue.from(d);
        }
        if (arg instanceof Boolean b) {
            return IValue.from(b);
        }
        if (arg instanceof Long l) {
            return IValue.from(l);
        }
        throw new IllegalArgumentException("no TorchScript value for a " + arg.getClass().getName());
    }

    private PtSymbolBlock module(NDArray like) {
        if (failure != null || !(like.getManager() instanceof PtNDManager)) {
            return null;
        }
        PtSymbolBlock m = module;
        if (m != null) {
            return m;
        }
        synchronized (lock) {
            if (module == null && failure == null) {
                module = load((PtNDManager) like.getManager());
            }
            return module;
        }
    }

    private PtSymbolBlock load(PtNDManager like) {
        try (InputStream in = BundledModule.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " is missing from the build");
            }
            PtNDManager owner = (PtNDManager) like.getEngine().newBaseManager(like.getDevice());
            return JniUtils.loadModule(owner, in, false, false);
        } catch (IOException | RuntimeException e) {
            failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return null;
        }
    }
}
