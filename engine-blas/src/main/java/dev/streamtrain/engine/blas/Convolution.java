package dev.streamtrain.engine.blas;

import dev.streamtrain.model.layer.Conv2d;
import dev.streamtrain.model.layer.Shape;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.primitive_desc_base;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCRATCHPAD;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

/**
 * A Conv2d layer and the activation right after it, {@code y = f(conv(x, W) + b)}, computed by
 * oneDNN's convolution primitives (forward, backward by weights and bias, backward by data), the
 * library of PyTorch's CPU convolutions. The stages hold the input and output in NCHW, and W as
 * torch's [O, C, k, k] and b in the parameter buffer (their gradients in the gradient buffer);
 * each primitive computes in the layout oneDNN picks for it (channels in blocks of 8 or 16 where
 * that is faster), reordered from and to those buffers where it differs: for lenet5 that is 2.8
 * ms of convolutions per batch of 128 instead of 6.2 in the plain layouts. The pre-activations
 * land in the output, which f then replaces one sample at a time; backward applies f' to the
 * output's gradient in place first. The primitives are made per batch size (the last batch of an
 * epoch is usually smaller), each with its own scratchpad, so nothing is shared between networks
 * or threads.
 */
final class Convolution implements Stage {

    /** Batch sizes whose primitives are kept: the training batch, the epoch's last, the evaluator's. */
    private static final int KEPT_BATCH_SIZES = 4;

    private final Conv2d conv;
    private final int channels;
    private final int height;
    private final int width;
    private final int outChannels;
    private final int outHeight;
    private final int outWidth;
    private final Activation activation;
    private final FloatBuffer weight;
    private final FloatBuffer bias;
    private final FloatBuffer weightGradient;
    private final FloatBuffer biasGradient;
    /** One sample's output [O·OH·OW] and its gradient, on the heap for the activation's loops. */
    private final float[] row;
    private final float[] gradientRow;
    private final stream stream = new stream(Dnnl.CPU);
    private final Map<Integer, Primitives> primitives = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Primitives> eldest) {
            return size() > KEPT_BATCH_SIZES;
        }
    };

    /** W and b are views of the parameter buffer, dW and db the same places in the gradient buffer. */
    Convolution(Conv2d conv, Shape input, Activation activation, FloatBuffer weight, FloatBuffer bias,
                FloatBuffer weightGradient, FloatBuffer biasGradient) {
        Shape output = conv.outputShape(input);
        this.conv = conv;
        this.channels = input.dim(0);
        this.height = input.dim(1);
        this.width = input.dim(2);
        this.outChannels = output.dim(0);
        this.outHeight = output.dim(1);
        this.outWidth = output.dim(2);
        this.activation = activation;
        this.weight = weight;
        this.bias = bias;
        this.weightGradient = weightGradient;
        this.biasGradient = biasGradient;
        this.row = new float[output.size()];
        this.gradientRow = new float[output.size()];
    }

    @Override
    public int outWidth() {
        return row.length;
    }

    @Override
    public boolean hasParameters() {
        return true;
    }

    @Override
    public void forward(FloatBuffer in, FloatBuffer out, int n, boolean training, SplittableRandom random) {
        Primitives p = primitives(n);
        Dnnl.bind(p.source.plain, in);
        Dnnl.bind(p.destination.plain, out);
        p.source.prepare(stream);
        p.weights.prepare(stream);
        p.forward.execute(stream, p.forwardArguments);
        p.destination.finish(stream);
        stream._wait();
        if (activation != Activation.IDENTITY) {
            for (int i = 0; i < n; i++) {
                out.get(i * row.length, row);
                activation.forward(row, null, row.length);
                out.put(i * row.length, row);
            }
        }
    }

    @Override
    public void backward(FloatBuffer in, FloatBuffer out, FloatBuffer outGradient, FloatBuffer inGradient, int n) {
        if (activation != Activation.IDENTITY) {
            for (int i = 0; i < n; i++) {
                out.get(i * row.length, row);
                outGradient.get(i * row.length, gradientRow);
                activation.backward(row, gradientRow, row.length);
                outGradient.put(i * row.length, gradientRow);
            }
        }
        Primitives p = primitives(n);
        Dnnl.bind(p.backwardSource.plain, in);
        Dnnl.bind(p.destinationGradient.plain, outGradient);
        p.backwardSource.prepare(stream);
        p.destinationGradient.prepare(stream);
        p.backwardWeights.execute(stream, p.backwardWeightsArguments);
        p.weightsGradient.finish(stream);
        if (inGradient != null) {
            BackwardData data = p.backwardData();
            Dnnl.bind(data.sourceGradient.plain, inGradient);
            data.destinationGradient.prepare(stream);
            data.weights.prepare(stream);
            data.primitive.execute(stream, data.arguments);
            data.sourceGradient.finish(stream);
        }
        stream._wait();
    }

    private Primitives primitives(int n) {
        return primitives.computeIfAbsent(n, Primitives::new);
    }

    /**
     * The primitives for batches of {@code n} and what they read and write: each primitive takes
     * its tensors in the layout it computes fastest in (oneDNN's blocked layouts, chosen by the
     * library), reordered from and to the plain layouts of the stage's buffers where they differ.
     * Backward by data is made on first use (the first layer never needs it).
     */
    private final class Primitives {

        final Operand source;
        final Operand weights;
        final Operand destination;
        final Operand backwardSource;
        final Operand destinationGradient;
        final Operand weightsGradient;
        final primitive forward;
        final IntMemoryMap forwardArguments = new IntMemoryMap();
        final primitive backwardWeights;
        final IntMemoryMap backwardWeightsArguments = new IntMemoryMap();
        private final convolution_forward.primitive_desc forwardDescriptor;
        private final memory.desc sourceDesc;
        private final memory.desc weightsDesc;
        private final memory.desc destinationDesc;
        private final memory.desc anySource;
        private final memory.desc anyWeights;
        private final memory.desc anyDestination;
        private final Scratch scratch = new Scratch();
        private BackwardData backwardData;

        Primitives(int n) {
            int k = conv.kernelSize();
            sourceDesc = Dnnl.plain(memory.format_tag.nchw, n, channels, height, width);
            weightsDesc = Dnnl.plain(memory.format_tag.oihw, outChannels, channels, k, k);
            memory.desc biasDesc = Dnnl.plain(memory.format_tag.x, outChannels);
            destinationDesc = Dnnl.plain(memory.format_tag.nchw, n, outChannels, outHeight, outWidth);
            anySource = Dnnl.plain(memory.format_tag.any, n, channels, height, width);
            anyWeights = Dnnl.plain(memory.format_tag.any, outChannels, channels, k, k);
            anyDestination = Dnnl.plain(memory.format_tag.any, n, outChannels, outHeight, outWidth);

            forwardDescriptor = new convolution_forward.primitive_desc(new convolution_forward.desc(
                    dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct, anySource, anyWeights,
                    biasDesc, anyDestination, strides(), padding(), padding()), attributes(), Dnnl.CPU);
            forward = new convolution_forward(forwardDescriptor);
            source = Operand.input(Dnnl.unbound(sourceDesc), forwardDescriptor.src_desc(), scratch);
            weights = Operand.input(Dnnl.bound(weightsDesc, weight), forwardDescriptor.weights_desc(), scratch);
            destination = Operand.output(Dnnl.unbound(destinationDesc), forwardDescriptor.dst_desc(), scratch);
            forwardArguments.put(DNNL_ARG_SRC, source.used);
            forwardArguments.put(DNNL_ARG_WEIGHTS, weights.used);
            forwardArguments.put(DNNL_ARG_BIAS, Dnnl.bound(biasDesc, bias));
            forwardArguments.put(DNNL_ARG_DST, destination.used);
            forwardArguments.put(DNNL_ARG_SCRATCHPAD, scratch.pad(forwardDescriptor));

            var weightsDescriptor = new convolution_backward_weights.primitive_desc(
                    new convolution_backward_weights.desc(dnnl.algorithm.convolution_direct, anySource, anyWeights,
                            biasDesc, anyDestination, strides(), padding(), padding()),
                    attributes(), Dnnl.CPU, forwardDescriptor);
            backwardWeights = new convolution_backward_weights(weightsDescriptor);
            // the forward pass's copy of the input serves here too when the layouts agree
            backwardSource = source.sharedWith(weightsDescriptor.src_desc(), scratch);
            destinationGradient = Operand.input(Dnnl.unbound(destinationDesc), weightsDescriptor.diff_dst_desc(),
                    scratch);
            weightsGradient = Operand.output(Dnnl.bound(weightsDesc, weightGradient),
                    weightsDescriptor.diff_weights_desc(), scratch);
            backwardWeightsArguments.put(DNNL_ARG_SRC, backwardSource.used);
            backwardWeightsArguments.put(DNNL_ARG_DIFF_DST, destinationGradient.used);
            backwardWeightsArguments.put(DNNL_ARG_DIFF_WEIGHTS, weightsGradient.used);
            backwardWeightsArguments.put(DNNL_ARG_DIFF_BIAS, Dnnl.bound(biasDesc, biasGradient));
            backwardWeightsArguments.put(DNNL_ARG_SCRATCHPAD, scratch.pad(weightsDescriptor));
        }

        BackwardData backwardData() {
            if (backwardData == null) {
                var dataDescriptor = new convolution_backward_data.primitive_desc(
                        new convolution_backward_data.desc(dnnl.algorithm.convolution_direct, anySource, anyWeights,
                                anyDestination, strides(), padding(), padding()),
                        attributes(), Dnnl.CPU, forwardDescriptor);
                backwardData = new BackwardData(new convolution_backward_data(dataDescriptor),
                        destinationGradient.sharedWith(dataDescriptor.diff_dst_desc(), scratch),
                        weights.sharedWith(dataDescriptor.weights_desc(), scratch),
                        Operand.output(Dnnl.unbound(sourceDesc), dataDescriptor.diff_src_desc(), scratch));
                backwardData.arguments.put(DNNL_ARG_SCRATCHPAD, scratch.pad(dataDescriptor));
            }
            return backwardData;
        }

        private long[] strides() {
            return new long[] {conv.stride(), conv.stride()};
        }

        private long[] padding() {
            return new long[] {conv.padding(), conv.padding()};
        }
    }

    /** Backward by data: the gradient of the output and the weights in, the input's gradient out. */
    private record BackwardData(primitive primitive, Operand destinationGradient, Operand weights,
                                Operand sourceGradient, IntMemoryMap arguments) {

        BackwardData(primitive primitive, Operand destinationGradient, Operand weights, Operand sourceGradient) {
            this(primitive, destinationGradient, weights, sourceGradient, new IntMemoryMap());
            arguments.put(DNNL_ARG_DIFF_DST, destinationGradient.used);
            arguments.put(DNNL_ARG_WEIGHTS, weights.used);
            arguments.put(DNNL_ARG_DIFF_SRC, sourceGradient.used);
        }
    }

    /**
     * A tensor as a primitive takes it: {@code plain}, the memory over the stage's own buffer (the
     * layout the stages and the parameter buffer share), and {@code used}, the memory the primitive
     * reads or writes: the same one where the primitive's layout is the plain one, else a buffer of
     * its own, reordered from the plain one before the primitive (an input) or into it after (an
     * output).
     */
    private static final class Operand {

        final memory plain;
        final memory used;
        private final reorder reorder;
        private final boolean input;

        private Operand(memory plain, memory used, reorder reorder, boolean input) {
            this.plain = plain;
            this.used = used;
            this.reorder = reorder;
            this.input = input;
        }

        static Operand input(memory plain, memory.desc wanted, Scratch scratch) {
            if (wanted.equals(plain.get_desc())) {
                return new Operand(plain, plain, null, true);
            }
            memory used = scratch.memory(wanted);
            return new Operand(plain, used, new reorder(plain, used), true);
        }

        static Operand output(memory plain, memory.desc wanted, Scratch scratch) {
            if (wanted.equals(plain.get_desc())) {
                return new Operand(plain, plain, null, false);
            }
            memory used = scratch.memory(wanted);
            return new Operand(plain, used, new reorder(used, plain), false);
        }

        /**
         * This input as another primitive of the same pass takes it: the copy this one made where
         * the layouts agree (nothing to do again), else reordered from the same plain memory.
         */
        Operand sharedWith(memory.desc wanted, Scratch scratch) {
            if (wanted.equals(used.get_desc())) {
                return new Operand(plain, used, null, true);
            }
            return input(plain, wanted, scratch);
        }

        /** Before the primitive: an input in another layout is reordered into it. */
        void prepare(stream stream) {
            if (input && reorder != null) {
                reorder.execute(stream, plain, used);
            }
        }

        /** After the primitive: an output in another layout is reordered back into the plain one. */
        void finish(stream stream) {
            if (!input && reorder != null) {
                reorder.execute(stream, used, plain);
            }
        }
    }

    /** The native buffers of one batch size's primitives (reordered tensors, scratchpads), held here: oneDNN holds only their addresses. */
    private static final class Scratch {

        private final List<FloatBuffer> buffers = new ArrayList<>();

        memory memory(memory.desc desc) {
            FloatBuffer buffer = Blas.allocate((int) Math.max(1, (desc.get_size() + Float.BYTES - 1) / Float.BYTES));
            buffers.add(buffer);
            memory memory = Dnnl.unbound(desc);
            Dnnl.bind(memory, buffer);
            return memory;
        }

        /** The scratchpad of a primitive made with {@link #attributes()}. */
        memory pad(primitive_desc_base descriptor) {
            return memory(descriptor.scratchpad_desc());
        }
    }

    /** Scratchpads owned by the caller: each primitive gets its own, not one hidden per thread. */
    private static primitive_attr attributes() {
        primitive_attr attributes = new primitive_attr();
        attributes.set_scratchpad_mode(dnnl.scratchpad_mode.user);
        return attributes;
    }

}
