package dev.streamtrain.contracts.topic;

/** The keys of the records on each topic (UTF-8 strings), documented in docs/wire-format.md. */
public final class RecordKeys {

    private RecordKeys() {
    }

    /** Training minibatches are keyed by the id of the stream they belong to. */
    public static String minibatch(String stream) {
        return stream;
    }

    /** Test-set batches are keyed {@code <dataset>/<batchIndex>}, so the compacted topic keeps one copy. */
    public static String testBatch(String dataset, int batchIndex) {
        return dataset + "/" + batchIndex;
    }

    /** Snapshots and metrics are keyed by run id. */
    public static String run(String runId) {
        return runId;
    }
}
