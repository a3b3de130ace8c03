package dev.streamtrain.model.zoo;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.ModelFactory;
import dev.streamtrain.model.layer.Conv2d;
import dev.streamtrain.model.layer.Flatten;
import dev.streamtrain.model.layer.Layer;
import dev.streamtrain.model.layer.Linear;
import dev.streamtrain.model.layer.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code convnet-small}: the MNIST variant's network, Conv2d(C, 8, 3), ReLU, Flatten,
 * Linear(8*(H-2)*(W-2), classes) (on MNIST: Conv2d(1, 8, 3) then Linear(8*26*26, 10)), for images
 * of any channel count and size. {@code channels}, {@code kernel_size} and {@code activation} are
 * options; {@code activation: identity} drops the ReLU.
 */
public final class ConvnetSmall implements ModelFactory<ConvnetSmallOptions> {

    public static final String NAME = "convnet-small";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "the MNIST variant's Conv2d(C, 8, 3) -> ReLU -> Flatten -> Linear convnet, any image size";
    }

    @Override
    public Class<ConvnetSmallOptions> optionsType() {
        return ConvnetSmallOptions.class;
    }

    @Override
    public ConvnetSmallOptions defaultOptions() {
        return ConvnetSmallOptions.DEFAULTS;
    }

    @Override
    public Architecture build(ConvnetSmallOptions options, Shape input, int classes) {
        input.requireImage(NAME);
        Conv2d conv = new Conv2d(input.dim(0), options.channels(), options.kernelSize());
        List<Layer> layers = new ArrayList<>(List.of(conv));
        if (!options.activation().equals(ConvnetSmallOptions.IDENTITY)) {
            layers.add(Activations.layer(options.activation()));
        }
        layers.add(new Flatten());
        layers.add(new Linear(conv.outputShape(input).size(), classes));
        return new Architecture(input, classes, layers);
    }
}
