package dev.streamtrain.model;

import dev.streamtrain.model.layer.Shape;

/**
 * A model, registered by {@link #name()} with {@link java.util.ServiceLoader} (see {@link Models}):
 * builds its {@link Architecture} for the dataset's sample shape and class count, from options of
 * its own. The options are a record; its components are the option names (camelCase in run specs,
 * snake_case in YAML spec files and on the command line), the record's constructor checks them.
 *
 * <p>To add a model: implement this interface (a public class with a public no-argument
 * constructor), list it in {@code META-INF/services/dev.streamtrain.model.ModelFactory} of your jar
 * and put the jar on streamtrain's class path ({@code STREAMTRAIN_CLASSPATH}).
 *
 * @param <O> the options record ({@link NoOptions} for a model without options)
 */
public interface ModelFactory<O extends Record> {

    /** The name in run specs and on the command line, e.g. {@code mlp}. */
    String name();

    /** One line saying what the model is, for help texts. */
    String summary();

    Class<O> optionsType();

    O defaultOptions();

    /**
     * The network for samples of {@code input} ([C, H, W]) and {@code classes} classes; throws
     * {@link IllegalArgumentException} naming the mismatch if the model cannot take such input.
     */
    Architecture build(O options, Shape input, int classes);
}
