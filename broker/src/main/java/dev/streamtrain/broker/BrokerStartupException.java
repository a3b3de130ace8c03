package dev.streamtrain.broker;

/** The embedded Kafka broker could not start; the message says why and, where it can, what to do. */
public class BrokerStartupException extends RuntimeException {

    public BrokerStartupException(String message) {
        super(message);
    }

    public BrokerStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
