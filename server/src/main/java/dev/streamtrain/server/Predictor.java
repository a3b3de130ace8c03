package dev.streamtrain.server;

import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.RecordFormatException;
import dev.streamtrain.evaluator.SnapshotNetworks;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.Predictions;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.layer.Shape;
import dev.streamtrain.model.loss.OutputActivation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Predicts with a served model along the evaluator's tensor path: the samples' uint8 pixels through
 * {@link ToTensor} and the run spec's transforms, the network of {@link SnapshotNetworks} (the
 * snapshot's engine, architecture, loss and parameters), its eval-mode forward pass, and the class
 * the test loop counts ({@link Predictions#argmax}). So a sample gets the class the evaluator gave
 * it. Not thread-safe, as networks are not: one per thread (a swap reloads its network's parameters
 * once, at its next prediction).
 */
public final class Predictor {

    private final SnapshotNetworks networks = new SnapshotNetworks();

    /**
     * A prediction for each of {@code samples}, in order, by {@code model}; a sample that is not of the run's
     * sample shape is a {@link RecordFormatException} naming it and the shape.
     */
    public List<Prediction> predict(ServedModel model, List<Sample> samples) {
        Shape shape = model.sampleShape();
        int size = shape.size();
        byte[] pixels = new byte[samples.size() * size];
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            if (!sample.fits(shape)) {
                throw new RecordFormatException(PredictRequestDeserializer.FORMAT + ": sample " + i + " is "
                        + Arrays.toString(sample.dims()) + " (" + sample.pixels().length + " pixels), but run "
                        + model.runId() + " takes samples of shape " + Arrays.toString(shape.dims()) + " (" + size
                        + " pixels, flat or nested as " + nested(shape) + ")");
            }
            System.arraycopy(sample.pixels(), 0, pixels, i * size, size);
        }
        int classes = model.classes();
        TensorBatch tensors = ToTensor.apply(pixels, shape, new int[samples.size()], classes,
                model.spec().transforms());
        Network network = networks.load(model.snapshot());
        float[] outputs = network.predict(tensors);
        OutputActivation emitted = network.loss().output();
        List<Prediction> predictions = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            predictions.add(new Prediction(Predictions.argmax(outputs, i * classes, classes),
                    probabilities(outputs, i * classes, classes, emitted)));
        }
        return predictions;
    }

    /** The probabilities of one sample's outputs, as its network's last layer {@code emitted} them. */
    static float[] probabilities(float[] outputs, int from, int classes, OutputActivation emitted) {
        float[] p = new float[classes];
        switch (emitted) {
            case SOFTMAX -> System.arraycopy(outputs, from, p, 0, classes);
            case LOG_SOFTMAX -> {
                for (int c = 0; c < classes; c++) {
                    p[c] = (float) Math.exp(outputs[from + c]);
                }
            }
            case IDENTITY -> {
                double[] logits = new double[classes];
                for (int c = 0; c < classes; c++) {
                    logits[c] = outputs[from + c];
                }
                double[] softmax = OutputActivation.SOFTMAX.apply(logits, classes);
                for (int c = 0; c < classes; c++) {
                    p[c] = (float) softmax[c];
                }
            }
        }
        return p;
    }

    private static String nested(Shape shape) {
        int[] d = shape.dims();
        StringBuilder s = new StringBuilder();
        for (int n : d.length == 3 && d[0] == 1 ? new int[] {d[1], d[2]} : d) {
            s.append('[').append(n).append(']');
        }
        return s.toString();
    }
}
