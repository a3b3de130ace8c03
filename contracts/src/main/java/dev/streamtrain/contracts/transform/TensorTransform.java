package dev.streamtrain.contracts.transform;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.streamtrain.model.layer.Shape;

/**
 * A torchvision transform applied after {@link ToTensor} where batches are consumed (trainer and
 * evaluator), so the wire keeps uint8 pixels. A run spec lists its transforms in order
 * ({@code transforms}); in JSON an object whose {@code name} is the type id below.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "name")
@JsonSubTypes({@JsonSubTypes.Type(value = Normalize.class, name = Normalize.NAME)})
public sealed interface TensorTransform permits Normalize {

    /** Applies the transform in place to {@code features}: samples of {@code sampleShape}, sample-major, NCHW. */
    void apply(float[] features, Shape sampleShape);

    /** Fails naming the problem if the transform cannot apply to samples of {@code sampleShape}. */
    void requireFits(Shape sampleShape);

    /** As torchvision writes it, e.g. {@code Normalize(mean=[0.5], std=[0.5])}. */
    String describe();
}
