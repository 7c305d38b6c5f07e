package io.skeletonssl.formats.torch;

import io.skeletonssl.formats.arrays.SafePickle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An {@code argparse.Namespace} from a pickle: its attributes as plain data. */
public final class PickledNamespace implements SafePickle.Stateful {

    private final Map<String, Object> attributes = new LinkedHashMap<>();

    PickledNamespace(Map<?, ?> kwargs) {
        put(kwargs);
    }

    private void put(Map<?, ?> m) {
        m.forEach((k, v) -> {
            if (!(k instanceof String s)) {
                throw new IllegalArgumentException("attribute name " + k + " is not a string");
            }
            attributes.put(s, v);
        });
    }

    @Override
    public void setState(Object state) {
        if (!(state instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("a Namespace state must be a dict of attributes");
        }
        put(m);
    }

    public Map<String, Object> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    /** An attribute, or null. */
    public Object get(String name) {
        return attributes.get(name);
    }

    @Override
    public String toString() {
        return "Namespace" + attributes;
    }
}
