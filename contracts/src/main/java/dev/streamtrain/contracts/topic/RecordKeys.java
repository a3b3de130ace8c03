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

    /** The key prefix of a dataset's test-set batches: {@code <dataset>/}. */
    public static String testSetPrefix(String dataset) {
        return dataset + "/";
    }

    /**
     * A stream's validation batches are keyed {@code <stream>/validation/<batchIndex>} on the same
     * compacted topic as test sets: stream ids and dataset names hold no '/', so the two never meet.
     */
    public static String validationBatch(String stream, int batchIndex) {
        return validationPrefix(stream) + batchIndex;
    }

    /** The key prefix of a stream's validation batches: {@code <stream>/validation/}. */
    public static String validationPrefix(String stream) {
        return stream + "/validation/";
    }

    /** Snapshots and metrics are keyed by run id. */
    public static String run(String runId) {
        return runId;
    }
}
