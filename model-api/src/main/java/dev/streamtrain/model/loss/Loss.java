package dev.streamtrain.model.loss;

/**
 * A loss function, registered by {@link #name()} with {@link java.util.ServiceLoader} (see
 * {@link Losses}): the built-in {@code cross-entropy}, {@code nll} and {@code mse}, and any a user
 * adds. It takes the network's outputs for a batch, {@code [n, classes]} row-major with
 * {@code n = labels.length}, as the last layer emits them after {@link #output()}, and the labels.
 *
 * <p>To add one: implement this interface (a public class with a public no-argument constructor),
 * list the class in {@code META-INF/services/dev.streamtrain.model.loss.Loss} of your jar and put
 * the jar on streamtrain's class path ({@code STREAMTRAIN_CLASSPATH}); {@code --loss NAME} then
 * selects it. The README's "Custom losses and models" walks through {@code my-cross-entropy}.
 */
public interface Loss {

    /** The name in run specs and on the command line, e.g. {@code cross-entropy}. */
    String name();

    /** What the network's last layer emits, which this loss takes (e.g. softmax probabilities). */
    OutputActivation output();

    /** The batch's mean loss (torch's default {@code reduction='mean'}). */
    double value(double[] outputs, int[] labels, int classes);

    /**
     * The gradient of {@link #value} with respect to each output, into {@code gradient} (same
     * shape as {@code outputs}): what {@code loss.backward()} would compute for the outputs.
     */
    void gradient(double[] outputs, int[] labels, int classes, double[] gradient);
}
