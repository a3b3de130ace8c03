package dev.streamtrain.examples.custom;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.ModelWithoutOptions;
import dev.streamtrain.model.NoOptions;
import dev.streamtrain.model.layer.Flatten;
import dev.streamtrain.model.layer.Linear;
import dev.streamtrain.model.layer.Shape;

import java.util.List;

/**
 * A model of one's own, {@code logistic-regression}: Flatten, then one Linear layer from the
 * pixels to the classes, for any input. Registered in
 * {@code META-INF/services/dev.streamtrain.model.ModelFactory}.
 */
public final class LogisticRegression extends ModelWithoutOptions {

    public static final String NAME = "logistic-regression";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "Flatten -> Linear(C*H*W, classes), a linear classifier";
    }

    @Override
    public Architecture build(NoOptions options, Shape input, int classes) {
        return new Architecture(input, classes, List.of(new Flatten(), new Linear(input.size(), classes)));
    }
}
