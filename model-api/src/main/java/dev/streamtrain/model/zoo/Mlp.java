package dev.streamtrain.model.zoo;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.ModelFactory;
import dev.streamtrain.model.layer.BatchNorm;
import dev.streamtrain.model.layer.Dropout;
import dev.streamtrain.model.layer.Flatten;
import dev.streamtrain.model.layer.Layer;
import dev.streamtrain.model.layer.Linear;
import dev.streamtrain.model.layer.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code mlp}: Flatten, then per hidden size {@code h}: Linear(prev, h), BatchNorm1d(h) if
 * {@code batch_norm}, the activation, Dropout(p) if {@code dropout} > 0; then Linear(prev, classes).
 * The input size is the dataset's C*H*W. With its defaults on 28x28 images of 10 classes it is the
 * tutorial's network (same layout, same initial values).
 */
public final class Mlp implements ModelFactory<MlpOptions> {

    public static final String NAME = "mlp";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "a ReLU (or tanh, sigmoid) MLP of any hidden sizes, with optional batch norm and dropout";
    }

    @Override
    public Class<MlpOptions> optionsType() {
        return MlpOptions.class;
    }

    @Override
    public MlpOptions defaultOptions() {
        return MlpOptions.DEFAULTS;
    }

    @Override
    public Architecture build(MlpOptions options, Shape input, int classes) {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Flatten());
        int previous = input.size();
        for (int hidden : options.hidden()) {
            layers.add(new Linear(previous, hidden));
            if (options.batchNorm()) {
                layers.add(new BatchNorm(hidden));
            }
            layers.add(Activations.layer(options.activation()));
            if (options.dropout() > 0) {
                layers.add(new Dropout(options.dropout()));
            }
            previous = hidden;
        }
        layers.add(new Linear(previous, classes));
        return new Architecture(input, classes, layers);
    }
}
