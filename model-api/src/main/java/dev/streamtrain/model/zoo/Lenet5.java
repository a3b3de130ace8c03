package dev.streamtrain.model.zoo;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.ModelWithoutOptions;
import dev.streamtrain.model.NoOptions;
import dev.streamtrain.model.layer.Conv2d;
import dev.streamtrain.model.layer.Flatten;
import dev.streamtrain.model.layer.Linear;
import dev.streamtrain.model.layer.MaxPool2d;
import dev.streamtrain.model.layer.ReLU;
import dev.streamtrain.model.layer.Shape;

import java.util.List;

/**
 * {@code lenet5}: LeNet-5 with ReLU and max pooling, for 28x28 or 32x32 images of any channel
 * count: Conv2d(C, 6, 5, padding=2 on 28x28, 0 on 32x32), ReLU, MaxPool2d(2, 2), Conv2d(6, 16, 5),
 * ReLU, MaxPool2d(2, 2), Flatten, Linear(400, 120), ReLU, Linear(120, 84), ReLU, Linear(84, classes).
 */
public final class Lenet5 extends ModelWithoutOptions {

    public static final String NAME = "lenet5";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "LeNet-5 (ReLU, max pooling) for 28x28 or 32x32 images";
    }

    @Override
    public Architecture build(NoOptions options, Shape input, int classes) {
        input.requireImage(NAME);
        int size = input.dim(1);
        if (input.dim(2) != size || (size != 28 && size != 32)) {
            throw new IllegalArgumentException(NAME + " takes 28x28 or 32x32 images, got " + input);
        }
        return new Architecture(input, classes, List.of(
                new Conv2d(input.dim(0), 6, 5, 1, size == 28 ? 2 : 0), new ReLU(), new MaxPool2d(2, 2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2, 2),
                new Flatten(), new Linear(16 * 5 * 5, 120), new ReLU(), new Linear(120, 84), new ReLU(),
                new Linear(84, classes)));
    }
}
