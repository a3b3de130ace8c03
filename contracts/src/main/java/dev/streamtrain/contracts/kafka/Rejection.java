package dev.streamtrain.contracts.kafka;

/**
 * Why a reader skipped a record: the {@code reason} tag of
 * {@code streamtrain_records_rejected_total} and the {@value DeadLetters#HEADER_REASON} header of
 * its dead-letter copy.
 */
public enum Rejection {
    /** The value is not a record of the topic's format (the decoder's message says why). */
    UNDECODABLE("undecodable"),
    /** The value decodes, but belongs to another run than its key names. */
    KEY_MISMATCH("key-mismatch");

    private final String tag;

    Rejection(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
