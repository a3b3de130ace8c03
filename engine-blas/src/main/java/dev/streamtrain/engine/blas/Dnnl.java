package dev.streamtrain.engine.blas;

import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;

import java.nio.FloatBuffer;

/**
 * oneDNN as this engine uses it: one CPU engine per process, memory descriptors of plain float32
 * layouts (the NCHW and [O, C, k, k] that the stages and the parameter buffer already hold, so no
 * reorders), and the native address of a direct buffer to hand it. It is bytedeco's build of
 * oneDNN, whose OpenMP threads follow {@code OMP_NUM_THREADS} (1 by the launcher, the image and
 * the tests).
 */
final class Dnnl {

    static {
        Loader.load(dnnl.class);
    }

    static final engine CPU = new engine(engine.kind.cpu, 0);

    private Dnnl() {
    }

    /** A float32 descriptor of {@code dims} in the plain layout {@code tag} (nchw, oihw, x). */
    static memory.desc plain(memory.format_tag tag, long... dims) {
        return new memory.desc(dims, memory.data_type.f32, tag);
    }

    /** A memory of descriptor {@code desc} over no data yet: {@link #bind} gives it its buffer at each call. */
    static memory unbound(memory.desc desc) {
        return new memory(desc, CPU, (FloatPointer) null);
    }

    /** A memory of descriptor {@code desc} over {@code buffer}, which it keeps for good. */
    static memory bound(memory.desc desc, FloatBuffer buffer) {
        memory memory = unbound(desc);
        bind(memory, buffer);
        return memory;
    }

    /** Points {@code memory} at {@code buffer}'s data (a direct buffer, from its position), without copying. */
    static void bind(memory memory, FloatBuffer buffer) {
        memory.set_data_handle(new FloatPointer(buffer));
    }
}
