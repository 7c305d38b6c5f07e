package io.skeletonssl.transforms;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/** A generator that returns scripted values, to pin the formulas that consume draws. */
final class ScriptedRandom implements RandomGenerator {

    private final Deque<Double> doubles = new ArrayDeque<>();
    private final Deque<Integer> ints = new ArrayDeque<>();

    ScriptedRandom withDoubles(double... values) {
        for (double v : values) {
            doubles.add(v);
        }
        return this;
    }

    ScriptedRandom withInts(int... values) {
        for (int v : values) {
            ints.add(v);
        }
        return this;
    }

    @Override
    public double nextDouble() {
        if (doubles.isEmpty()) {
            throw new IllegalStateException("no scripted double left");
        }
        return doubles.poll();
    }

    @Override
    public int nextInt(int bound) {
        if (ints.isEmpty()) {
            throw new IllegalStateException("no scripted int left");
        }
        int v = ints.poll();
        if (v < 0 || v >= bound) {
            throw new IllegalStateException("scripted int " + v + " outside [0, " + bound + ")");
        }
        return v;
    }

    @Override
    public long nextLong() {
        throw new UnsupportedOperationException("only scripted doubles and bounded ints");
    }

    boolean exhausted() {
        return doubles.isEmpty() && ints.isEmpty();
    }
}
