package dev.streamtrain.engine.dl4j;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.loss.Loss;
import dev.streamtrain.model.optim.Optimizer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link Network} computed by a DL4J {@link MultiLayerNetwork}. DL4J does the forward pass, the
 * loss and backpropagation ({@code computeGradientAndScore}); the step is the model API's: the
 * gradients of trainable parameters are divided by the batch size exactly as DL4J's updater
 * divides them, batch-norm running statistics get the update their layer computed (as DL4J's
 * {@code NoOp} updater would apply it), and the {@link Optimizer} updates the flat parameter
 * array. Engine order is DL4J's flattened parameter view (dense weights column-major inside it).
 */
final class Dl4jNetwork implements Network {

    private final Architecture architecture;
    private final Loss loss;
    private final MultiLayerNetwork network;
    private final List<Dl4jConfiguration.Placement> placements;
    private final List<INDArray> trainableGradients = new ArrayList<>();
    private final List<INDArray> bufferParameters = new ArrayList<>();
    private final List<INDArray> bufferUpdates = new ArrayList<>();
    /** [from, to) pairs of trainable values in engine order. */
    private final int[] trainableRanges;
    /** Where each tensor of the layout starts in engine order. */
    private final int[] engineOffsets;
    private final float[] values;
    private final float[] gradients;
    private final BaseOutputLayer outputLayer;
    private final CorrectCounter correctCounter;
    private int lastBatchSize;
    private int lastCorrect = -1;

    Dl4jNetwork(Architecture architecture, Loss loss, DataType dataType) {
        this.architecture = architecture;
        this.loss = loss;
        Dl4jConfiguration configuration = new Dl4jConfiguration(architecture, loss, dataType);
        this.network = new MultiLayerNetwork(configuration.configuration());
        this.network.init();
        // The gradient view is made lazily by the first fit; we never call fit.
        this.network.initGradientsView();
        this.placements = configuration.placements();
        int size = (int) network.numParams();
        if (size != architecture.parameterCount()) {
            throw new IllegalStateException("DL4J built " + size + " parameters for " + architecture.parameterCount()
                    + ": " + architecture.describe());
        }
        this.values = new float[size];
        this.gradients = new float[size];
        this.engineOffsets = new int[placements.size()];
        this.trainableRanges = scanParameters();
        // Counts the training-mode hits from the pre-activations backprop hands the output layer's loss.
        this.outputLayer = (BaseOutputLayer) network.getOutputLayer().conf().getLayer();
        this.correctCounter = new CorrectCounter(outputLayer.getLossFn());
        outputLayer.setLossFn(correctCounter);
    }

    /** Walks DL4J's flattened view in order: which ranges are trained, which are running statistics. */
    private int[] scanParameters() {
        List<Integer> ranges = new ArrayList<>();
        // A [1, n] row; as a vector, intervals of it are views of the gradients DL4J writes.
        INDArray flatGradients = network.getFlattenedGradients().reshape(network.getFlattenedGradients().length());
        int offset = 0;
        for (org.deeplearning4j.nn.api.Layer layer : network.getLayers()) {
            for (Map.Entry<String, INDArray> parameter : layer.paramTable(false).entrySet()) {
                int length = (int) parameter.getValue().length();
                String name = layer.getIndex() + "_" + parameter.getKey();
                int tensor = placementOf(name);
                engineOffsets[tensor] = offset;
                INDArray gradient = flatGradients.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offset,
                        offset + length));
                boolean trainable = layer.updaterDivideByMinibatch(parameter.getKey());
                if (trainable != placements.get(tensor).tensor().trainable()) {
                    throw new IllegalStateException("DL4J trains " + name + " " + (trainable ? "by gradient" : "itself")
                            + ", the architecture says otherwise");
                }
                if (trainable) {
                    trainableGradients.add(gradient);
                    if (!ranges.isEmpty() && ranges.get(ranges.size() - 1) == offset) {
                        ranges.set(ranges.size() - 1, offset + length);
                    } else {
                        ranges.add(offset);
                        ranges.add(offset + length);
                    }
                } else {
                    bufferParameters.add(parameter.getValue());
                    bufferUpdates.add(gradient);
                }
                offset += length;
            }
        }
        return ranges.stream().mapToInt(Integer::intValue).toArray();
    }

    private int placementOf(String dl4jName) {
        for (int i = 0; i < placements.size(); i++) {
            if (placements.get(i).dl4jName().equals(dl4jName)) {
                return i;
            }
        }
        throw new IllegalStateException("DL4J parameter " + dl4jName + " is not in the architecture's layout");
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    @Override
    public Loss loss() {
        return loss;
    }

    @Override
    public double forwardBackward(TensorBatch batch, long randomSeed) {
        Nd4j.getRandom().setSeed(randomSeed);
        network.setInput(features(batch));
        network.setLabels(oneHot(batch));
        network.computeGradientAndScore();
        double score = network.score();
        for (int i = 0; i < bufferParameters.size(); i++) {
            bufferParameters.get(i).subi(bufferUpdates.get(i));
        }
        // The mean over the batch, in the same operation DL4J's updater uses, so plain SGD stays bit for bit
        // what 'fit' computed.
        for (INDArray gradient : trainableGradients) {
            gradient.divi(batch.size());
        }
        lastBatchSize = batch.size();
        lastCorrect = correctCounter.correct();
        network.clear();
        return score;
    }

    @Override
    public int trainCorrect() {
        if (lastCorrect < 0) {
            throw new IllegalStateException("trainCorrect() before forwardBackward()");
        }
        return lastCorrect;
    }

    @Override
    public void step(Optimizer optimizer, double learningRate) {
        if (lastBatchSize == 0) {
            throw new IllegalStateException("step() before forwardBackward()");
        }
        if (network.params().dataType() != DataType.FLOAT) {
            throw new IllegalStateException("the model API's optimizers step float32 networks; this one is "
                    + network.params().dataType());
        }
        FloatBuffer parameterView = network.params().data().asNioFloat();
        parameterView.get(values);
        network.getFlattenedGradients().data().asNioFloat().get(gradients);
        optimizer.step(values, gradients, trainableRanges, learningRate);
        network.params().data().asNioFloat().put(values);
        lastBatchSize = 0;
    }

    @Override
    public float[] predict(TensorBatch batch) {
        INDArray out = network.output(features(batch), false);
        return out.dup('c').data().asFloat();
    }

    @Override
    public float[] parameters() {
        float[] out = new float[architecture.parameterCount()];
        int at = 0;
        for (Dl4jConfiguration.Placement placement : placements) {
            float[] tensor = view(placement).dup('c').data().asFloat();
            System.arraycopy(tensor, 0, out, at, tensor.length);
            at += tensor.length;
        }
        return out;
    }

    @Override
    public void setParameters(float[] layoutOrder) {
        requireLength(layoutOrder);
        int at = 0;
        for (Dl4jConfiguration.Placement placement : placements) {
            INDArray target = view(placement);
            int size = placement.tensor().size();
            float[] slice = java.util.Arrays.copyOfRange(layoutOrder, at, at + size);
            target.assign(Nd4j.create(slice, target.shape(), 'c').castTo(target.dataType()));
            at += size;
        }
    }

    @Override
    public float[] toLayoutOrder(float[] engineOrder) {
        return rearrange(engineOrder, true);
    }

    @Override
    public float[] fromLayoutOrder(float[] layoutOrder) {
        return rearrange(layoutOrder, false);
    }

    /**
     * Moves one value per parameter between engine order (DL4J's flattened view: each tensor in its
     * view's ordering, 'f' for dense weights) and layout order (each tensor row-major).
     */
    private float[] rearrange(float[] values, boolean toLayout) {
        requireLength(values);
        float[] out = new float[values.length];
        int layoutAt = 0;
        for (int t = 0; t < placements.size(); t++) {
            INDArray view = view(placements.get(t));
            int size = (int) view.length();
            int from = toLayout ? engineOffsets[t] : layoutAt;
            int to = toLayout ? layoutAt : engineOffsets[t];
            float[] slice = java.util.Arrays.copyOfRange(values, from, from + size);
            char ordering = toLayout ? view.ordering() : 'c';
            char wanted = toLayout ? 'c' : view.ordering();
            System.arraycopy(Nd4j.create(slice, view.shape(), ordering).dup(wanted).data().asFloat(), 0, out, to, size);
            layoutAt += size;
        }
        return out;
    }

    /** The DL4J network itself, for tests that use DL4J's own tools (gradient checks). */
    MultiLayerNetwork dl4j() {
        return network;
    }

    /** DL4J's names of the parameters the layers update themselves (batch-norm running statistics). */
    java.util.Set<String> bufferNames() {
        return placements.stream().filter(p -> !p.tensor().trainable()).map(Dl4jConfiguration.Placement::dl4jName)
                .collect(java.util.stream.Collectors.toSet());
    }

    private INDArray view(Dl4jConfiguration.Placement placement) {
        INDArray view = network.getParam(placement.dl4jName());
        if (view == null || view.length() != placement.tensor().size()) {
            throw new IllegalStateException("DL4J parameter " + placement.dl4jName() + " does not hold "
                    + placement.tensor().layout());
        }
        return view;
    }

    private void requireLength(float[] values) {
        if (values.length != architecture.parameterCount()) {
            throw new IllegalArgumentException("the network holds " + architecture.parameterCount()
                    + " parameter values, got " + values.length);
        }
    }

    private INDArray features(TensorBatch batch) {
        return features(batch, network.getLayerWiseConfigurations().getDataType());
    }

    private INDArray oneHot(TensorBatch batch) {
        return oneHot(batch, network.getLayerWiseConfigurations().getDataType());
    }

    /** The batch's features as DL4J takes them: [samples, values], each sample flat. */
    static INDArray features(TensorBatch batch, DataType dataType) {
        return Nd4j.create(batch.features(), new long[] {batch.size(), batch.sampleShape().size()}, 'c')
                .castTo(dataType);
    }

    /** The batch's labels as DL4J takes them: one-hot rows [samples, classes]. */
    static INDArray oneHot(TensorBatch batch, DataType dataType) {
        int classes = batch.classes();
        float[] values = new float[batch.size() * classes];
        for (int i = 0; i < batch.size(); i++) {
            values[i * classes + batch.labels()[i]] = 1f;
        }
        return Nd4j.create(values, new long[] {batch.size(), classes}, 'c').castTo(dataType);
    }

    /**
     * Writes this network, parameters and configuration, as DL4J's {@code ModelSerializer} zip (no
     * updater: the model API's optimizers keep their state in snapshots), with the output layer's own
     * loss function, as plain DL4J configures it.
     */
    void writeModel(Path zip) throws IOException {
        outputLayer.setLossFn(correctCounter.wrapped());
        try {
            ModelSerializer.writeModel(network, zip.toFile(), false);
        } finally {
            outputLayer.setLossFn(correctCounter);
        }
    }
}
