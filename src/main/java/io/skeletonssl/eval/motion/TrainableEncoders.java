package io.skeletonssl.eval.motion;

import io.skeletonssl.eval.Encoders;

/** The encoder of {@code --finetune}, trained with the decoder. */
final class TrainableEncoders {

    private TrainableEncoders() {
    }

    static MotionEncoder open(Encoders.Loaded enc) {
        throw new UnsupportedOperationException("--finetune is not available yet");
    }
}
