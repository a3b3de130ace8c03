package dev.streamtrain.contracts.kafka;

import dev.streamtrain.contracts.topic.TopicConfigs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the records a reader skips go: a record it cannot decode, or one keyed by another run than
 * it holds, is logged once (topic-partition@offset and the reason), counted in
 * {@code streamtrain_records_rejected_total{topic,reason}}, and copied to the dead-letter topic
 * {@value #TOPIC}, so that one stray record never stops a reader and is never lost from sight.
 * <p>
 * A copy carries the original value, and in headers where it came from and why it was rejected,
 * under the names Kafka Streams' own dead-letter records use (KIP-1034), so one tool reads both.
 * Its key is {@code topic-partition@offset}: the topic is compacted, so readers that meet the same
 * record again (every {@code streamtrain runs} does) leave one copy, not one per reading.
 */
public final class DeadLetters implements AutoCloseable {

    public static final String TOPIC = "streamtrain.dlq";
    /** The counter's name; Prometheus shows it as {@code streamtrain_records_rejected_total}. */
    public static final String COUNTER = "streamtrain.records.rejected";
    public static final String HEADER_TOPIC = "__streams.errors.topic";
    public static final String HEADER_PARTITION = "__streams.errors.partition";
    public static final String HEADER_OFFSET = "__streams.errors.offset";
    public static final String HEADER_EXCEPTION = "__streams.errors.exception";
    public static final String HEADER_MESSAGE = "__streams.errors.message";
    public static final String HEADER_REASON = "streamtrain.rejected.reason";
    public static final String HEADER_KEY = "streamtrain.original.key";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    /** Records already logged by this process (a reader may meet one many times): topic-partition@offset. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private final KafkaSettings kafka;
    private final MeterRegistry registry;
    private Producer<byte[], byte[]> producer;

    private DeadLetters(KafkaSettings kafka, MeterRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Dead letters of {@code kafka}'s cluster, counted in Micrometer's global registry. */
    public static DeadLetters of(KafkaSettings kafka) {
        return new DeadLetters(kafka, Metrics.globalRegistry);
    }

    /** One rejected record: where it was, what it held, and why it was skipped. */
    public record Rejected(String topic, int partition, long offset, byte[] key, byte[] value, Rejection reason,
                           Exception cause) {

        public String where() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /** Logs (once per record and process), counts and copies {@code rejected} to {@value #TOPIC}; never throws. */
    public void reject(Rejected rejected) {
        logAndCount(registry, rejected);
        try {
            producer().send(copy(rejected), (metadata, e) -> {
                if (e != null) {
                    log.warn("could not copy {} to {}: {}", rejected.where(), TOPIC, e.getMessage());
                }
            });
        } catch (RuntimeException e) {
            log.warn("could not copy {} to {}: {}", rejected.where(), TOPIC, e.getMessage());
        }
    }

    /** The logging and counting half of {@link #reject}, for readers whose copy goes another way (Kafka Streams). */
    public static void logAndCount(MeterRegistry registry, Rejected rejected) {
        if (LOGGED.add(rejected.where())) {
            log.warn("skipped record {} ({}): {}; a copy goes to {}", rejected.where(), rejected.reason().tag(),
                    rejected.cause().getMessage(), TOPIC);
        }
        Counter.builder(COUNTER).description("Records a reader skipped, by topic and reason; copies are in "
                        + TOPIC).tag("topic", rejected.topic()).tag("reason", rejected.reason().tag())
                .register(registry).increment();
    }

    /** The dead-letter copy of {@code rejected}. */
    public static ProducerRecord<byte[], byte[]> copy(Rejected rejected) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_TOPIC, utf8(rejected.topic()));
        headers.add(HEADER_PARTITION, utf8(String.valueOf(rejected.partition())));
        headers.add(HEADER_OFFSET, utf8(String.valueOf(rejected.offset())));
        headers.add(HEADER_EXCEPTION, utf8(rejected.cause().getClass().getName()));
        headers.add(HEADER_MESSAGE, utf8(String.valueOf(rejected.cause().getMessage())));
        headers.add(HEADER_REASON, utf8(rejected.reason().tag()));
        if (rejected.key() != null) {
            headers.add(HEADER_KEY, rejected.key());
        }
        return new ProducerRecord<>(TOPIC, null, utf8(rejected.where()), rejected.value(), headers);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private synchronized Producer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(kafka.layered(Map.of(), Map.of(
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.ACKS_CONFIG, "all",
                    // a copy is as large as the record it copies: a snapshot, at most
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicConfigs.MAX_SNAPSHOT_BYTES + 1024 * 1024)), new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** Waits for the copies sent to be acknowledged. */
    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }
}
