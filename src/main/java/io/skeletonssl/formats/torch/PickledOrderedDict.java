package io.skeletonssl.formats.torch;

import io.skeletonssl.formats.arrays.SafePickle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code collections.OrderedDict} from a pickle. A state dict also carries attributes
 * (e.g. {@code _metadata}, module versions), kept apart from its items.
 */
public final class PickledOrderedDict extends LinkedHashMap<Object, Object> implements SafePickle.Stateful {

    private static final long serialVersionUID = 1L;
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    PickledOrderedDict() {
    }

    @Override
    public void setState(Object state) {
        if (!(state instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("an OrderedDict state must be a dict of attributes");
        }
        m.forEach((k, v) -> attributes.put(String.valueOf(k), v));
    }

    /** Attributes set on the dict (not its items). */
    public Map<String, Object> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
