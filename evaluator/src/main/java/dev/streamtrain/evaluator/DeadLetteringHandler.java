package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.kafka.DeadLetters;
import dev.streamtrain.contracts.kafka.Rejection;
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
 * The evaluator's answer to a snapshot record it cannot use, as Kafka Streams' deserialization
 * and processing exception handler: a record that does not decode, or a snapshot keyed by another
 * run than it holds ({@link MisKeyedRecordException}), is logged once, counted in
 * {@code streamtrain_records_rejected_total} and copied to {@value DeadLetters#TOPIC} within the
 * evaluator's transaction, and the evaluator goes on with the next record: one stray record never
 * stops the evaluation of every run. Any other failure still stops it, as before.
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
        if (!(exception instanceof MisKeyedRecordException)) {
            return ProcessingExceptionHandler.Response.fail();
        }
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(new DeadLetters.Rejected(context.topic(),
                context.partition(), context.offset(), context.sourceRawKey(), context.sourceRawValue(),
                Rejection.KEY_MISMATCH, exception))));
    }

    /** Logs and counts {@code rejected}; its copy, for Streams to send within the transaction. */
    private static ProducerRecord<byte[], byte[]> deadLetter(DeadLetters.Rejected rejected) {
        DeadLetters.logAndCount(Metrics.globalRegistry, rejected);
        return DeadLetters.copy(rejected);
    }
}
