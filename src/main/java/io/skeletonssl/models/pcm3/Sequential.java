package io.skeletonssl.models.pcm3;

import io.skeletonssl.models.blocks.SeededBlock;

/** Holds children under torch {@code nn.Sequential} indices ({@code fc.0}, {@code fc.2}); layers without parameters keep their index. */
final class Sequential extends SeededBlock {

    <B extends SeededBlock> B at(int index, B block) {
        return child(Integer.toString(index), block);
    }
}
