package dev.streamtrain.model;

/** A model that takes no options, such as {@code tutorial-mlp} and {@code lenet5}: only its name, summary and layers. */
public abstract class ModelWithoutOptions implements ModelFactory<NoOptions> {

    @Override
    public final Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    @Override
    public final NoOptions defaultOptions() {
        return new NoOptions();
    }
}
