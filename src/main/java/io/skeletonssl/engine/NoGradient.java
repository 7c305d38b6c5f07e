package io.skeletonssl.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns gradient recording off on the current thread until closed (torch's {@code no_grad()}).
 * PyTorch's grad mode is per thread: DJL switches it off only on the thread that loads the engine,
 * so inference on any other thread would otherwise build autograd graphs it never uses.
 */
public final class NoGradient implements AutoCloseable {

    private final boolean pytorch;
    private final boolean previous;

    private NoGradient() {
        this.pytorch = Engines.DEFAULT.equals(Engine.getInstance().getEngineName());
        this.previous = pytorch && JniUtils.isGradMode();
        if (pytorch) {
            JniUtils.setGradMode(false);
        }
    }

    public static NoGradient enter() {
        return new NoGradient();
    }

    @Override
    public void close() {
        if (pytorch) {
            JniUtils.setGradMode(previous);
        }
    }
}
