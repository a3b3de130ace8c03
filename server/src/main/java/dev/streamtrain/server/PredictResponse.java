package dev.streamtrain.server;

import java.util.List;
import java.util.Objects;

/**
 * The answer to one prediction request (docs/wire-format.md, section 10), over HTTP and on the
 * predictions topic alike: a prediction per sample, in the request's order, and the snapshot that
 * made them.
 *
 * @param id          the request's id; null for an HTTP request that gave none
 * @param run         the run served
 * @param policy      the serving policy
 * @param snapshot    the snapshot the predictions were made with
 * @param predictions one per sample of the request
 */
public record PredictResponse(String id, String run, ServePolicy policy, SnapshotRef snapshot,
                              List<Prediction> predictions) {

    public PredictResponse {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(snapshot, "snapshot");
        predictions = List.copyOf(predictions);
    }
}
