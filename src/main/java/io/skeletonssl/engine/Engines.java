package io.skeletonssl.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * Creates the {@link TensorEngine}. DJL runs fully offline: {@code ai.djl.offline=true} is set
 * before the engine loads, and the PyTorch native library comes from the bundled
 * {@code pytorch-native-cpu} jar, so nothing is downloaded at run time.
 */
public final class Engines {

    public static final String DEFAULT = "PyTorch";

    private Engines() {
    }

    /** Forces DJL's offline mode; call before any DJL class loads an engine. */
    public static void forceOffline() {
        System.setProperty("ai.djl.offline", "true");
        // DJL reports usage unless told not to; nothing may leave the machine.
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    /** The default engine (PyTorch) on the CPU, or on a GPU if {@code device} says {@code gpu}. */
    public static TensorEngine open(String engineName, String device) {
        forceOffline();
        Engine engine;
        try {
            engine = Engine.getEngine(engineName);
        } catch (RuntimeException e) {
            throw new IllegalStateException("deep-learning engine '" + engineName + "' could not be loaded offline: "
                    + e.getMessage(), e);
        }
        Device dev = device == null || device.equals("cpu") ? Device.cpu() : Device.fromName(device);
        return new DjlEngine(engine, dev);
    }

    public static TensorEngine cpu() {
        return open(DEFAULT, "cpu");
    }

    private record DjlEngine(Engine engine, Device device) implements TensorEngine {
        @Override
        public String name() {
            return engine.getEngineName();
        }

        @Override
        public String version() {
            return engine.getVersion();
        }

        @Override
        public NDManager newManager() {
            return engine.newBaseManager(device);
        }

        @Override
        public int threads() {
            return Runtime.getRuntime().availableProcessors();
        }
    }
}
