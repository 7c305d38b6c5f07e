package io.skeletonssl.models.pcm3;

import ai.djl.nn.Parameter;
import io.skeletonssl.models.blocks.SeededBlock;

import java.util.LinkedHashMap;
import java.util.Map;

/** Trained parameter counts of a block grouped by the first component of their dotted names, plus {@code total}. */
final class ParameterParts {

    private ParameterParts() {
    }

    static Map<String, Long> count(SeededBlock block) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : block.namedParameters().entrySet()) {
            if (e.getValue().requiresGradient()) {
                String name = e.getKey();
                int dot = name.indexOf('.');
                out.merge(dot < 0 ? name : name.substring(0, dot), e.getValue().getShape().size(), Long::sum);
            }
        }
        out.put("total", block.trainableParameterCount());
        return out;
    }
}
