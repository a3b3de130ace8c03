package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.kafka.DeadLetters;
import dev.streamtrain.contracts.kafka.Rejection;
import dev.streamtrain.contracts.wire.RecordFormatException;
import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

import java.util.List;
import java.util.Map;

/**
 * A Kafka Streams application's answer to a record it cannot use, as its deserialization and
 * processing exception handler: a record that does not decode, one that decodes but that the
 * processing finds malformed (a {@link RecordFormatException} thrown there: a prediction request
 * whose samples do not have the served run's shape), or a snapshot keyed by another run than it
 * holds ({@link MisKeyedRecordException}), is logged once, counted in
 * {@code streamtrain_records_rejected_total} and copied to {@value DeadLetters#TOPIC} within the
 * application's transaction, and the application goes on with the next record: one stray record
 * never stops the evaluation of every run, nor a server's answers. Any other failure still stops it.
 * The evaluator and {@code streamtrain serve}'s Kafka path both use it (it stays here, not in
 * contracts, so that services without Kafka Streams do not carry it).
 */
public final class DeadLetteringHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        return DeserializationExceptionHandler.Response.resume(List.of(deadLetter(new DeadLetters.Rejected(record.topic(),
                record.partition(), record.offset(), record.key(), record.value(), Rejection.UNDECODABLE,
                exception))));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception exception) {
        Rejection reason;
        if (exception instanceof MisKeyedRecordException) {
            reason = Rejection.KEY_MISMATCH;
        } else if (exception instanceof RecordFormatException) {
            reason = Rejection.UNDECODABLE;
        } else {
            return ProcessingExceptionHandler.Response.fail();
        }
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(new DeadLetters.Rejected(context.topic(),
                context.partition(), context.offset(), context.sourceRawKey(), context.sourceRawValue(),
                reason, exception))));
    }

    /** Logs and counts {@code rejected}; its copy, for Streams to send within the transaction. */
    private static ProducerRecord<byte[], byte[]> deadLetter(DeadLetters.Rejected rejected) {
        DeadLetters.logAndCount(Metrics.globalRegistry, rejected);
        return DeadLetters.copy(rejected);
    }
}
