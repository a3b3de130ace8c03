package dev.streamtrain.model.zoo;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.ModelWithoutOptions;
import dev.streamtrain.model.NoOptions;
import dev.streamtrain.model.layer.Flatten;
import dev.streamtrain.model.layer.Linear;
import dev.streamtrain.model.layer.ReLU;
import dev.streamtrain.model.layer.Shape;

import java.util.List;

/**
 * {@code tutorial-mlp}: the tutorial's {@code NeuralNetwork}, exactly: Flatten, Linear(784, 512),
 * ReLU, Linear(512, 512), ReLU, Linear(512, 10), for 28x28 single-channel images of 10 classes
 * (Fashion-MNIST, MNIST). For other inputs, {@code mlp} builds the same network to their size.
 */
public final class TutorialMlp extends ModelWithoutOptions {

    public static final String NAME = "tutorial-mlp";
    public static final Shape INPUT = Shape.of(1, 28, 28);
    public static final int CLASSES = 10;

    /** The tutorial's network: also the architecture of every run spec written before architectures were. */
    public static Architecture architecture() {
        return new Architecture(INPUT, CLASSES, List.of(new Flatten(), new Linear(784, 512), new ReLU(),
                new Linear(512, 512), new ReLU(), new Linear(512, CLASSES)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "the tutorial's 784-512-512-10 ReLU MLP, for 28x28 images of 10 classes";
    }

    @Override
    public Architecture build(NoOptions options, Shape input, int classes) {
        if (!input.equals(INPUT) || classes != CLASSES) {
            throw new IllegalArgumentException(NAME + " takes samples of shape " + INPUT + " with " + CLASSES
                    + " classes; use model 'mlp' for other inputs");
        }
        return architecture();
    }
}
