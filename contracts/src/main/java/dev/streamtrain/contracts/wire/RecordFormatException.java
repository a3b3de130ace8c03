package dev.streamtrain.contracts.wire;

import org.apache.kafka.common.errors.SerializationException;

import java.util.function.Supplier;

/**
 * A record value that is not a record of its format, with the format and what is wrong in the
 * message ({@code weight snapshot record: bad magic: …}). It is the only exception streamtrain's
 * decoders let out, whatever the bytes: a reader can tell bad input from its own failures, skip
 * the record and go on. A Kafka {@link SerializationException}, so Kafka's clients and Kafka
 * Streams treat it as the deserialization error it is.
 */
public class RecordFormatException extends SerializationException {

    public RecordFormatException(String message) {
        super(message);
    }

    public RecordFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@code decoder}'s value, or a {@link RecordFormatException} naming {@code format} for
     * anything else it throws on bad bytes (an index out of bounds, an arithmetic overflow, a
     * value a record refuses): a decoder's unforeseen failure is still bad input, said as such.
     */
    static <T> T guard(String format, Supplier<T> decoder) {
        try {
            return decoder.get();
        } catch (RecordFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RecordFormatException(format + ": " + (e instanceof SerializationException ? ""
                    : e.getClass().getSimpleName() + ": ") + e.getMessage(), e);
        }
    }
}
