package io.skeletonssl.formats.ntu;

import io.skeletonssl.testutil.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Files per second of the parser and both pipelines on the real files, one thread, reading from
 * the page cache. Off by default: {@code mvn -o -q test -Dtest=NtuThroughputBenchmark -Dskeletonssl.bench=true}.
 */
@EnabledIfSystemProperty(named = "skeletonssl.bench", matches = "true")
class NtuThroughputBenchmark {

    @Test
    void measure() throws Exception {
        Path dir = SharedData.require("ntu-raw-samples");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".skeleton")).sorted().toList();
        }
        long bytes = 0;
        for (Path p : files) {
            bytes += Files.size(p);
        }
        MampNtuPipeline mamp = new MampNtuPipeline(SecondActor.ZERO);
        Pcm3NtuPipeline pcm3 = new Pcm3NtuPipeline();
        for (String mode : List.of("parse", "mamp", "pcm3", "parse", "mamp", "pcm3")) {
            int rounds = 400;
            long sink = 0;
            long t0 = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                for (Path p : files) {
                    NtuSkeletonFile f = NtuSkeletonFile.read(p);
                    sink += switch (mode) {
                        case "parse" -> f.frameCount();
                        case "mamp" -> mamp.process(f).frames();
                        default -> pcm3.process(f).frames();
                    };
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            int n = rounds * files.size();
            System.out.printf("%-5s %6d files in %.2f s: %7.0f files/s, %6.1f MB/s (sink %d)%n", mode, n, s, n / s,
                    rounds * bytes / s / 1e6, sink);
        }
    }
}
