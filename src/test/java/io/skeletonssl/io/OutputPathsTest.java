package io.skeletonssl.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.skeletonssl.io.OutputPaths.input;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutputPathsTest {

    @Test
    void refusesEqualContainingAndInsideOutputs(@TempDir Path dir) throws Exception {
        Path raw = Files.createDirectories(dir.resolve("x/raw"));
        assertThatThrownBy(() -> OutputPaths.requireDisjoint("-o", raw, input("-i", raw)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-o " + raw + " is the input -i " + raw + "; choose an output folder outside the input");
        Path x = dir.resolve("x");
        assertThatThrownBy(() -> OutputPaths.requireDisjoint("-o", x, input("-i", raw)))
                .hasMessage("-o " + x + " contains the input -i " + raw + "; choose an output folder outside the input");
        Path inside = raw.resolve("prepared");
        assertThatThrownBy(() -> OutputPaths.requireDisjoint("--out", inside, input("--data", raw)))
                .hasMessageContaining("--out " + inside + " lies inside the input --data " + raw);
        // a file input inside the output folder
        Path split = Files.writeString(dir.resolve("x/split.txt"), "a\n");
        assertThatThrownBy(() -> OutputPaths.requireDisjoint("-o", x, input("-i", dir.resolve("other")),
                input("--split-file", split))).hasMessageContaining("contains the input --split-file " + split);
    }

    @Test
    void comparesNormalisedAbsolutePaths(@TempDir Path dir) throws Exception {
        Path raw = Files.createDirectories(dir.resolve("x/raw"));
        Path dotted = dir.resolve("x/raw/../raw/.");
        assertThatThrownBy(() -> OutputPaths.requireDisjoint("-o", dotted, input("-i", raw)))
                .hasMessageContaining("is the input");
        Path relative = Path.of("").toAbsolutePath().relativize(raw.getParent());
        assertThatThrownBy(() -> OutputPaths.requireDisjoint("-o", relative, input("-i", raw)))
                .hasMessageContaining("contains the input");
    }

    @Test
    void resolvesSymbolicLinksEvenForOutputsThatDoNotExistYet(@TempDir Path dir) throws Exception {
        Path raw = Files.createDirectories(dir.resolve("data/raw"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("data"));
        assertThatThrownBy(() -> OutputPaths.requireDisjoint("-o", link, input("-i", raw)))
                .hasMessageContaining("contains the input");
        assertThatThrownBy(() -> OutputPaths.requireDisjoint("-o", link.resolve("raw/new/out"), input("-i", raw)))
                .hasMessageContaining("lies inside the input");
        Path rawLink = Files.createSymbolicLink(dir.resolve("rawlink"), raw);
        assertThatThrownBy(() -> OutputPaths.requireDisjoint("-o", raw, input("-i", rawLink)))
                .hasMessageContaining("is the input -i " + rawLink);
    }

    @Test
    void acceptsSiblingsPrefixNamesAndMissingInputs(@TempDir Path dir) throws Exception {
        Path raw = Files.createDirectories(dir.resolve("x/raw"));
        assertThatCode(() -> OutputPaths.requireDisjoint("-o", dir.resolve("x/out"), input("-i", raw),
                input("--labels", null))).doesNotThrowAnyException();
        // 'raw2' shares the characters but not the folder
        assertThatCode(() -> OutputPaths.requireDisjoint("-o", dir.resolve("x/raw2"), input("-i", raw)))
                .doesNotThrowAnyException();
        assertThatCode(() -> OutputPaths.requireDisjoint("-o", dir.resolve("x/raw-out/a"), input("-i", raw)))
                .doesNotThrowAnyException();
        assertThatCode(() -> OutputPaths.requireDisjoint("-o", dir.resolve("new/out"),
                input("-i", dir.resolve("absent/in")))).doesNotThrowAnyException();
    }
}
