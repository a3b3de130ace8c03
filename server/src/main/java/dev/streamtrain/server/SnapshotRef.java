package dev.streamtrain.server;

import java.util.Objects;

/**
 * The snapshot a prediction was made with, as every answer names it.
 *
 * @param sha256          the snapshot's parameters SHA-256 (64 lower-case hex digits), as in its record and metrics
 * @param step            minibatches trained when it was taken
 * @param epoch           its epoch, 1-based
 * @param createdAtMillis when it was taken (Unix epoch milliseconds)
 */
public record SnapshotRef(String sha256, long step, int epoch, long createdAtMillis) {

    public SnapshotRef {
        Objects.requireNonNull(sha256, "sha256");
    }
}
