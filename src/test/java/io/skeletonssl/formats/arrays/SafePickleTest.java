package io.skeletonssl.formats.arrays;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Pickler;
import net.razorvine.pickle.Unpickler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafePickleTest {

    private static final List<String> NAMES = List.of("S001C001P001R001A001.skeleton",
            "S002C003P004R002A060.skeleton", "other");

    @TempDir
    Path tmp;

    static byte[] resource(String name) throws IOException {
        try (InputStream in = SafePickleTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    /** Label files pickled by Python (make_fixtures.py): numpy int64/int32 scalars and plain ints, protocols 0–5. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void readsPythonLabelFilesOfEveryProtocol(int protocol) throws IOException {
        String name = "labels_p" + protocol + ".pkl";
        LabelFile f = LabelFile.read(file(name, resource(name)));
        assertThat(f.names()).isEqualTo(NAMES);
        assertThat(f.labels()).containsExactly(0, 59, 7);
    }

    /** np.array labels (_reconstruct + BUILD, or _frombuffer in protocol 5) and numpy str_ names. */
    @ParameterizedTest
    @ValueSource(ints = {2, 4, 5})
    void readsNumpyArraysOfLabelsAndNumpyStringNames(int protocol) throws IOException {
        String name = "labels_ndarray_p" + protocol + ".pkl";
        LabelFile f = LabelFile.read(file(name, resource(name)));
        assertThat(f.names()).isEqualTo(NAMES);
        assertThat(f.labels()).containsExactly(0, 59, 7);
    }

    @Test
    void readsNumpy1ModuleNames() throws IOException {
        // numpy 1.x pickles name numpy.core.multiarray; in protocol 2 the GLOBAL names are plain text lines
        String p2 = new String(resource("labels_p2.pkl"), StandardCharsets.ISO_8859_1)
                .replace("numpy._core.multiarray", "numpy.core.multiarray");
        assertThat(p2).contains("numpy.core.multiarray\nscalar");
        LabelFile f = LabelFile.read(file("np1.pkl", p2.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(f.labels()).containsExactly(0, 59, 7);
    }

    /** What Python 2 wrote for (names, [numpy.int64(3), 4L]) with protocol 0: str names, text opcodes. */
    @Test
    void readsPython2Protocol0WithNumpyScalars() throws IOException {
        String p = "((lp0\nS'S001C001P001R001A001.skeleton'\np1\naS'b'\np2\na(lp3\n"
                + "cnumpy.core.multiarray\nscalar\np4\n(cnumpy\ndtype\np5\n(S'i8'\np6\nI0\nI1\ntp7\nRp8\n"
                + "(I3\nS'<'\np9\nNNNI-1\nI-1\nI0\ntp10\nbS'\\x03\\x00\\x00\\x00\\x00\\x00\\x00\\x00'\n"
                + "p11\ntp12\nRp13\naL4L\natp14\n.";
        LabelFile f = LabelFile.read(file("py2.pkl", p.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(f.names()).containsExactly("S001C001P001R001A001.skeleton", "b");
        assertThat(f.labels()).containsExactly(3, 4);
    }

    @Test
    void anArrayWhoseStateIsNeverSetIsNotALabelList() throws IOException {
        byte[] b = new Fixtures.Pickle().proto(4).mark().str("a").op('l')
                .stackGlobal("numpy.core.multiarray", "_reconstruct").stackGlobal("numpy", "ndarray")
                .int1(0).op(0x85).bytes("b".getBytes(StandardCharsets.US_ASCII)).op(0x87).reduce()
                .tuple2().stop().bytes();
        assertThatThrownBy(() -> LabelFile.read(file("unset.pkl", b))).isInstanceOf(IOException.class)
                .hasMessageContaining("a numpy array without data");
    }

    @Test
    void readsPyrolitePickles() throws IOException {
        byte[] b = new Pickler().dumps(new Object[]{new ArrayList<>(NAMES), List.of(1, 2, 3)});
        LabelFile f = LabelFile.read(file("pyro.pkl", b));
        assertThat(f.names()).isEqualTo(NAMES);
        assertThat(f.labels()).containsExactly(1, 2, 3);
    }

    @Test
    void decodesNumpyScalarsOfEachKind() throws IOException {
        Fixtures.Pickle p = new Fixtures.Pickle().proto(4).mark()
                .scalar("numpy.core.multiarray", "i8", "<", Fixtures.le64(-5))
                .scalar("numpy._core.multiarray", "i8", ">", Fixtures.be64(1L << 40))
                .scalar("numpy.core.multiarray", "u1", "|", new byte[]{(byte) 200})
                .scalar("numpy.core.multiarray", "i2", "<", new byte[]{(byte) 0xfe, (byte) 0xff})
                .scalar("numpy.core.multiarray", "u8", "<", Fixtures.le64(-1))
                .scalar("numpy.core.multiarray", "f8", "<", Fixtures.le64(Double.doubleToLongBits(2.5)))
                .scalar("numpy.core.multiarray", "f4", "<", new byte[]{0, 0, (byte) 0xc0, 0x3f})
                .scalar("numpy.core.multiarray", "f2", "<", new byte[]{0, 0x3c})
                .scalar("numpy.core.multiarray", "b1", "|", new byte[]{1})
                .scalar("numpy.core.multiarray", "U2", "<", new byte[]{'h', 0, 0, 0, 0, 0, 0, 0})
                .tuple().stop();
        Object[] t = (Object[]) SafePickle.loads(p.bytes(), "scalars.pkl");
        assertThat(t).containsExactly(-5L, 1L << 40, 200L, -2L, new BigInteger("18446744073709551615"), 2.5, 1.5,
                1.0, true, "h");
    }

    // ---- hostile input -------------------------------------------------------------------------

    private static void assertForbidden(byte[] pickle, String qualified) {
        assertThatThrownBy(() -> SafePickle.loads(pickle, "evil.pkl"))
                .isInstanceOf(IOException.class)
                .hasMessage("pickle file evil.pkl names forbidden class " + qualified
                        + "; label files hold only lists of names and labels");
    }

    @Test
    void refusesOsSystemByGlobal() {
        byte[] b = new Fixtures.Pickle().global("os", "system").mark().text("S'touch /tmp/pwned'\n").tuple()
                .reduce().stop().bytes();
        assertForbidden(b, "os.system");
    }

    @Test
    void refusesBuiltinsEvalByStackGlobal() {
        byte[] b = new Fixtures.Pickle().proto(4).stackGlobal("builtins", "eval").str("__import__('os')")
                .op(0x85).reduce().stop().bytes();
        assertForbidden(b, "builtins.eval");
    }

    @Test
    void refusesSubprocessPopenInsideALabelList() {
        byte[] b = new Fixtures.Pickle().proto(2).op(']').mark().str("a").global("subprocess", "Popen")
                .mark().str("ls").op('l').op(0x85).op(0x81).op('e').op(']').int1(0).op(0x86).stop().bytes();
        assertForbidden(b, "subprocess.Popen");
    }

    @Test
    void refusesInstAndClassesPyroliteWouldBuild() {
        assertForbidden(new Fixtures.Pickle().mark().text("S'x'\n").op('i').text("os\nsystem\n").stop().bytes(),
                "os.system");
        // Pyrolite itself knows these; our allow-list does not
        assertForbidden(new Fixtures.Pickle().global("copy_reg", "_reconstructor").stop().bytes(),
                "copy_reg._reconstructor");
        assertForbidden(new Fixtures.Pickle().proto(4).stackGlobal("operator", "attrgetter").stop().bytes(),
                "operator.attrgetter");
        assertForbidden(new Fixtures.Pickle().proto(4).stackGlobal("builtins", "set").stop().bytes(),
                "builtins.set");
        assertForbidden(new Fixtures.Pickle().proto(4).stackGlobal("numpy", "load").stop().bytes(), "numpy.load");
    }

    @Test
    void refusesARealPythonReduceExploit() throws IOException {
        // made by Python: an object whose __reduce__ returns (os.system, (...)); on Linux os.system is posix.system
        assertForbidden(resource("evil_system_p4.pkl"), "posix.system");
        assertThatThrownBy(() -> LabelFile.read(file("evil.pkl", resource("evil_system_p4.pkl"))))
                .hasMessageContaining("names forbidden class posix.system").hasMessageContaining("evil.pkl");
    }

    /** Pyrolite's global registry of constructors is never consulted: a registered one is not called. */
    @Test
    void neverCallsRegisteredConstructors() {
        AtomicInteger calls = new AtomicInteger();
        IObjectConstructor spy = args -> {
            calls.incrementAndGet();
            return "executed";
        };
        Unpickler.registerConstructor("os", "system", spy);
        try {
            byte[] b = new Fixtures.Pickle().global("os", "system").mark().text("S'x'\n").tuple().reduce().stop()
                    .bytes();
            assertForbidden(b, "os.system");
            assertThat(calls).hasValue(0);
        } finally {
            RegistryAccess.remove("os.system");
        }
    }

    /** Gives the test access to Pyrolite's protected static registry, to undo the registration. */
    private static final class RegistryAccess extends Unpickler {
        static void remove(String key) {
            objectConstructors.remove(key);
        }
    }

    @Test
    void refusesStateOnPlainObjectsPersistentIdsAndMisuse() {
        byte[] build = new Fixtures.Pickle().proto(2).op(']').op('}').op('b').stop().bytes();
        assertThatThrownBy(() -> SafePickle.loads(build, "b.pkl")).hasMessageContaining("BUILD")
                .hasMessageContaining("b.pkl");
        byte[] persid = new Fixtures.Pickle().op('P').text("x\n").stop().bytes();
        assertThatThrownBy(() -> SafePickle.loads(persid, "p.pkl")).hasMessageContaining("persistent");
        byte[] ndarrayCall = new Fixtures.Pickle().proto(4).stackGlobal("numpy", "ndarray").op(')').reduce().stop()
                .bytes();
        assertThatThrownBy(() -> SafePickle.loads(ndarrayCall, "n.pkl")).hasMessageContaining("numpy.ndarray");
        byte[] encodeOther = new Fixtures.Pickle().proto(2).global("_codecs", "encode").str("x").str("rot13")
                .op(0x86).reduce().stop().bytes();
        assertThatThrownBy(() -> SafePickle.loads(encodeOther, "c.pkl")).hasMessageContaining("latin1");
        byte[] objectDtype = new Fixtures.Pickle().proto(4).dtype("O8", "|").stop().bytes();
        assertThatThrownBy(() -> SafePickle.loads(objectDtype, "o.pkl")).hasMessageContaining("'O8'");
    }

    @Test
    void hugeLengthPrefixesFailWithoutAllocating() {
        // BINUNICODE declaring 2^31 − 1 bytes in a 10-byte file
        byte[] b = new Fixtures.Pickle().op('X').raw(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f})
                .text("ab").stop().bytes();
        assertThatThrownBy(() -> SafePickle.loads(b, "h.pkl")).isInstanceOf(IOException.class)
                .hasMessageContaining("h.pkl").hasMessageContaining("2147483647");
        byte[] b8 = new Fixtures.Pickle().proto(4).op(0x8e).raw(Fixtures.le64(1L << 40)).stop().bytes();
        assertThatThrownBy(() -> SafePickle.loads(b8, "h8.pkl")).hasMessageContaining("1099511627776");
        byte[] neg = new Fixtures.Pickle().op('B').raw(new byte[]{0, 0, 0, (byte) 0x80}).stop().bytes();
        assertThatThrownBy(() -> SafePickle.loads(neg, "n.pkl")).hasMessageContaining("negative length");
    }

    @ParameterizedTest
    @ValueSource(strings = {"labels_p0.pkl", "labels_p2.pkl", "labels_p4.pkl", "labels_p5.pkl",
            "labels_ndarray_p4.pkl", "labels_ndarray_p5.pkl"})
    void everyTruncationIsAnIOException(String name) throws IOException {
        byte[] full = resource(name);
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            assertThatThrownBy(() -> SafePickle.loads(cut, name)).as("cut at %d", len)
                    .isInstanceOf(IOException.class).hasMessageContaining(name);
        }
        assertThatThrownBy(() -> SafePickle.loads(Arrays.copyOf(full, full.length - 1), name))
                .hasMessageContaining("truncated");
    }

    @Property(tries = 300)
    void damagedBytesGiveDataOrAnIOExceptionNeverAnythingElse(@ForAll @IntRange(min = 0, max = 249) int at,
                                                              @ForAll @IntRange(min = 1, max = 255) int xor)
            throws IOException {
        byte[] b = resource("labels_p4.pkl");
        b[at % b.length] ^= (byte) xor;
        try {
            Object o = SafePickle.loads(b, "fuzz.pkl");
            try {
                LabelFile.parse(o, "fuzz.pkl");
            } catch (IOException expected) {
                assertThat(expected).hasMessageContaining("fuzz.pkl");
            }
        } catch (IOException expected) {
            assertThat(expected).hasMessageContaining("fuzz.pkl");
        }
    }

    // ---- structure of label files ---------------------------------------------------------------

    private static byte[] pickle(Object o) throws IOException {
        return new Pickler().dumps(o);
    }

    @Test
    void labelFileStructureErrorsNameTheFileAndTheProblem() throws IOException {
        Map<String, Object> dict = new HashMap<>();
        dict.put("names", NAMES);
        Object[][] cases = {
                {List.of(NAMES, List.of(1, 2, 3), List.of()), "expected a pair", "a list of 3 items"},
                {dict, "expected a pair", "a dict"},
                {new Object[]{"abc", List.of(1)}, "list of sample names", "the string 'abc'"},
                {new Object[]{NAMES, 5}, "list of labels", "the number 5"},
                {new Object[]{NAMES, List.of(1, 2)}, "lists 3 names but 2 labels", ""},
                {new Object[]{NAMES, List.of(1, 2.5, 3)}, "label 1 (sample S002C003P004R002A060.skeleton)",
                        "the number 2.5"},
                {new Object[]{NAMES, List.of(1, "x", 3)}, "label 1", "the string 'x'"},
                {new Object[]{NAMES, List.of(1, true, 3)}, "label 1", "the bool True"},
                {new Object[]{NAMES, List.of(1, 2, -1)}, "label 2 (sample other) is -1", "0-based"},
                {new Object[]{List.of("a", 7, "c"), List.of(1, 2, 3)}, "name 1 is the number 7", "a string"},
        };
        for (Object[] c : cases) {
            Path f = file("bad.pkl", pickle(c[0]));
            assertThatThrownBy(() -> LabelFile.read(f)).as(String.valueOf(c[1]))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(f.toString())
                    .hasMessageContaining((String) c[1])
                    .hasMessageContaining((String) c[2]);
        }
        // whole-number floats (e.g. numpy float64 labels) and big ints that fit are accepted
        LabelFile ok = LabelFile.read(file("ok.pkl", pickle(new Object[]{NAMES, List.of(1.0, 2L, 3)})));
        assertThat(ok.labels()).containsExactly(1, 2, 3);
    }
}
