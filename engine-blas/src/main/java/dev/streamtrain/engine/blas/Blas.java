package dev.streamtrain.engine.blas;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

/**
 * OpenBLAS as this engine uses it: {@code cblas_sgemm} on row-major matrices held in direct
 * {@link FloatBuffer}s (no copy on the way in or out: JavaCPP hands OpenBLAS the buffers' native
 * addresses), and its thread count. It is the OpenBLAS that ND4J calls too (bytedeco's build, one
 * library per process), reached without ND4J's per-call checks and op objects.
 */
final class Blas {

    static {
        Loader.load(openblas_nolapack.class);
    }

    /** Matrices start on cache lines: OpenBLAS packs them either way, but its loads from them are then aligned. */
    private static final int ALIGNMENT = 64;

    private Blas() {
    }

    /** A zeroed native buffer of {@code floats} values, aligned to a cache line. */
    static FloatBuffer allocate(int floats) {
        // alignedSlice cuts both ends to whole cache lines: room for one more at each end
        ByteBuffer bytes = ByteBuffer.allocateDirect(Math.multiplyExact(floats, Float.BYTES) + 2 * ALIGNMENT)
                .alignedSlice(ALIGNMENT).order(ByteOrder.nativeOrder());
        return bytes.asFloatBuffer().slice(0, floats);
    }

    /**
     * {@code c = op(a) · op(b)} ({@code beta} 0: {@code c} is overwritten), all row-major: op(a) is
     * [m, k], op(b) [k, n], c [m, n]; {@code transposeA} means {@code a} holds [k, m], likewise b.
     */
    static void gemm(FloatBuffer a, boolean transposeA, FloatBuffer b, boolean transposeB, FloatBuffer c,
                     int m, int n, int k) {
        gemm(a, transposeA, b, transposeB, c, m, n, k, 1f, 0f);
    }

    /** {@code c = alpha · op(a) · op(b) + beta · c}, otherwise as above. */
    static void gemm(FloatBuffer a, boolean transposeA, FloatBuffer b, boolean transposeB, FloatBuffer c,
                     int m, int n, int k, float alpha, float beta) {
        openblas_nolapack.cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, transposeA ? m : k, b,
                transposeB ? k : n, beta, c, n);
    }

    /** The thread count last given to OpenBLAS; 0 before the first. */
    private static int threads;

    /**
     * How many threads OpenBLAS's calls may use, in this process (ND4J's BLAS calls included: one
     * library). Only a change reaches OpenBLAS: bytedeco's {@code blas_set_num_threads} looks up
     * MKL's setters with JavaCPP's {@code Loader.addressof} on every call, which walks the loaded
     * libraries and closes handles inside glibc's {@code dl_iterate_phdr}, and so deadlocks
     * against a library being loaded on another thread (RocksDB's, when the evaluator's Kafka
     * Streams starts beside a trainer in one process). The first call comes from the thread that
     * starts the services, before any of them runs.
     */
    static synchronized void setThreads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("math threads must be >= 1, got " + count);
        }
        if (count != threads) {
            org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(count);
            threads = count;
        }
    }
}
