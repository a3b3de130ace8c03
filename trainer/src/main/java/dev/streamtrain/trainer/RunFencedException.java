package dev.streamtrain.trainer;

import org.apache.kafka.common.KafkaException;

/** Another trainer of the same run started, so this one may no longer commit anything. */
public class RunFencedException extends KafkaException {

    public RunFencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
