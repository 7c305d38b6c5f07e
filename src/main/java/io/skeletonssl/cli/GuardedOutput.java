package io.skeletonssl.cli;

/**
 * Marks a command whose {@code -o/--out} must not overlap its inputs. Before such a command runs,
 * {@link OutputGuard} compares the output with every {@code Path} option and parameter and every
 * {@code --checkpoint}/{@code --ensemble-run} value (see {@link io.skeletonssl.io.OutputPaths}), so
 * a new input option is covered without further code. {@code OutputOverlapTest} checks that every
 * command with {@code --force} and {@code --out} carries this mark.
 */
interface GuardedOutput {
}
