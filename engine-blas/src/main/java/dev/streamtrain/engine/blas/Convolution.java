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
 * oneDNN's convolution primitives (forward, backward by weights and bias, backward by data) on
 * the stages' own buffers: the input and output in NCHW, W as torch's [O, C, k, k] and b in the
 * parameter buffer, their gradients in the gradient buffer. oneDNN writes the pre-activations
 * straight into the output, which f then replaces one sample at a time; backward applies f' to the
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
        Dnnl.bind(p.source, in);
        Dnnl.bind(p.destination, out);
        p.forward.execute(stream, p.forwardArguments);
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
        Dnnl.bind(p.source, in);
        Dnnl.bind(p.destinationGradient, outGradient);
        p.backwardWeights.execute(stream, p.backwardWeightsArguments);
        if (inGradient != null) {
            Dnnl.bind(p.sourceGradient, inGradient);
            p.backwardData().execute(stream, p.backwardDataArguments);
        }
        stream._wait();
    }

    private Primitives primitives(int n) {
        return primitives.computeIfAbsent(n, Primitives::new);
    }

    /**
     * The primitives for batches of {@code n} and the memories they read and write: the parameter
     * ones bound once, the batch's buffers at each call. Backward by data is made on first use
     * (the first layer never needs it).
     */
    private final class Primitives {

        final memory source;
        final memory destination;
        final memory destinationGradient;
        final memory sourceGradient;
        final primitive forward;
        final IntMemoryMap forwardArguments = new IntMemoryMap();
        final primitive backwardWeights;
        final IntMemoryMap backwardWeightsArguments = new IntMemoryMap();
        final IntMemoryMap backwardDataArguments = new IntMemoryMap();
        private final convolution_forward.primitive_desc forwardDescriptor;
        private final memory.desc sourceDesc;
        private final memory.desc weightsDesc;
        private final memory.desc destinationDesc;
        private final memory weights;
        private primitive backwardData;
        /** The scratchpads' buffers, held here: oneDNN holds only their addresses. */
        private final List<FloatBuffer> scratchpads = new ArrayList<>();

        Primitives(int n) {
            sourceDesc = Dnnl.plain(memory.format_tag.nchw, n, channels, height, width);
            weightsDesc = Dnnl.plain(memory.format_tag.oihw, outChannels, channels, conv.kernelSize(), conv.kernelSize());
            memory.desc biasDesc = Dnnl.plain(memory.format_tag.x, outChannels);
            destinationDesc = Dnnl.plain(memory.format_tag.nchw, n, outChannels, outHeight, outWidth);
            source = Dnnl.unbound(sourceDesc);
            destination = Dnnl.unbound(destinationDesc);
            destinationGradient = Dnnl.unbound(destinationDesc);
            sourceGradient = Dnnl.unbound(sourceDesc);
            weights = Dnnl.unbound(weightsDesc);
            Dnnl.bind(weights, weight);
            memory biasMemory = Dnnl.unbound(biasDesc);
            Dnnl.bind(biasMemory, bias);
            memory weightsGradient = Dnnl.unbound(weightsDesc);
            Dnnl.bind(weightsGradient, weightGradient);
            memory biasGradientMemory = Dnnl.unbound(biasDesc);
            Dnnl.bind(biasGradientMemory, biasGradient);

            forwardDescriptor = new convolution_forward.primitive_desc(new convolution_forward.desc(
                    dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct, sourceDesc, weightsDesc,
                    biasDesc, destinationDesc, strides(), padding(), padding()), attributes(), Dnnl.CPU);
            forward = new convolution_forward(forwardDescriptor);
            forwardArguments.put(DNNL_ARG_SRC, source);
            forwardArguments.put(DNNL_ARG_WEIGHTS, weights);
            forwardArguments.put(DNNL_ARG_BIAS, biasMemory);
            forwardArguments.put(DNNL_ARG_DST, destination);
            forwardArguments.put(DNNL_ARG_SCRATCHPAD, scratchpad(forwardDescriptor));

            var weightsDescriptor = new convolution_backward_weights.primitive_desc(
                    new convolution_backward_weights.desc(dnnl.algorithm.convolution_direct, sourceDesc, weightsDesc,
                            biasDesc, destinationDesc, strides(), padding(), padding()),
                    attributes(), Dnnl.CPU, forwardDescriptor);
            backwardWeights = new convolution_backward_weights(weightsDescriptor);
            backwardWeightsArguments.put(DNNL_ARG_SRC, source);
            backwardWeightsArguments.put(DNNL_ARG_DIFF_DST, destinationGradient);
            backwardWeightsArguments.put(DNNL_ARG_DIFF_WEIGHTS, weightsGradient);
            backwardWeightsArguments.put(DNNL_ARG_DIFF_BIAS, biasGradientMemory);
            backwardWeightsArguments.put(DNNL_ARG_SCRATCHPAD, scratchpad(weightsDescriptor));
        }

        primitive backwardData() {
            if (backwardData == null) {
                var dataDescriptor = new convolution_backward_data.primitive_desc(
                        new convolution_backward_data.desc(dnnl.algorithm.convolution_direct, sourceDesc, weightsDesc,
                                destinationDesc, strides(), padding(), padding()),
                        attributes(), Dnnl.CPU, forwardDescriptor);
                backwardData = new convolution_backward_data(dataDescriptor);
                backwardDataArguments.put(DNNL_ARG_DIFF_DST, destinationGradient);
                backwardDataArguments.put(DNNL_ARG_WEIGHTS, weights);
                backwardDataArguments.put(DNNL_ARG_DIFF_SRC, sourceGradient);
                backwardDataArguments.put(DNNL_ARG_SCRATCHPAD, scratchpad(dataDescriptor));
            }
            return backwardData;
        }

        private memory scratchpad(primitive_desc_base descriptor) {
            memory.desc desc = descriptor.scratchpad_desc();
            FloatBuffer buffer = Blas.allocate((int) Math.max(1, (desc.get_size() + Float.BYTES - 1) / Float.BYTES));
            scratchpads.add(buffer);
            memory scratchpad = Dnnl.unbound(desc);
            Dnnl.bind(scratchpad, buffer);
            return scratchpad;
        }

        private long[] strides() {
            return new long[] {conv.stride(), conv.stride()};
        }

        private long[] padding() {
            return new long[] {conv.padding(), conv.padding()};
        }
    }

    /** Scratchpads owned by the caller: each primitive gets its own, not one hidden per thread. */
    private static primitive_attr attributes() {
        primitive_attr attributes = new primitive_attr();
        attributes.set_scratchpad_mode(dnnl.scratchpad_mode.user);
        return attributes;
    }

}
