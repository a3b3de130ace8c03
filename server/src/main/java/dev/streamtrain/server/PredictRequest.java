package dev.streamtrain.server;

import java.util.List;
import java.util.Objects;

/**
 * A prediction request (docs/wire-format.md, section 9): one or many samples, and an id the answer
 * repeats.
 *
 * @param id      the request's id; null when it gives none (on the Kafka path the record key, or where the
 *                request was, stands in for it)
 * @param samples at least one
 */
public record PredictRequest(String id, List<Sample> samples) {

    public PredictRequest {
        Objects.requireNonNull(samples, "samples");
        samples = List.copyOf(samples);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a prediction request holds at least one sample");
        }
    }

    /** This request under {@code id}. */
    public PredictRequest withId(String newId) {
        return new PredictRequest(newId, samples);
    }
}
