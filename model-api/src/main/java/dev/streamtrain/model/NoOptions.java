package dev.streamtrain.model;

/** The options of a model that has none. */
public record NoOptions() {
}
