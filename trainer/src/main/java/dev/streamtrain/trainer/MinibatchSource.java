package dev.streamtrain.trainer;

import dev.streamtrain.contracts.kafka.Access;
import dev.streamtrain.contracts.kafka.ClusterAccessException;
import dev.streamtrain.contracts.kafka.ConnectionWatch;
import dev.streamtrain.contracts.kafka.DeadLetters;
import dev.streamtrain.contracts.kafka.Rejection;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchDeserializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads one stream's minibatches, in order, from partition 0 of the minibatch topic: records of
 * other streams are skipped; a record of the stream that cannot be decoded stops the trainer with
 * an error that names its topic, partition and offset, or, with {@link BadMinibatchPolicy#SKIP},
 * is copied to the dead-letter topic and handed on as {@link StreamedBatch#skipped} (it is never
 * skipped silently).
 */
public final class MinibatchSource implements MinibatchFeed, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MinibatchSource.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** How long a wait for the next minibatch lasts before the trainer says, once, that it is waiting. */
    private static final Duration SAY_IDLE_AFTER = Duration.ofSeconds(10);
    /** How long the first minibatch may keep the trainer waiting before it says so. */
    private static final Duration SAY_WAITING_AFTER = Duration.ofSeconds(5);
    /** Other streams named in the messages about a missing one: at most this many. */
    private static final int STREAMS_NAMED = 10;

    private final KafkaConsumer<String, byte[]> consumer;
    private final TopicPartition partition;
    private final String stream;
    private final MinibatchDeserializer decoder = new MinibatchDeserializer();
    private final Deque<ConsumerRecord<String, byte[]>> pending = new ArrayDeque<>();
    private long skipped;
    /** Keys of the other streams' records read so far, in order of appearance (at most {@link #STREAMS_NAMED} + 1). */
    private final Set<String> otherStreams = new LinkedHashSet<>();
    private boolean streamSeen;
    private Duration waitForFirst;
    private KafkaClientMetrics metrics;
    private final ConnectionWatch watch;
    private final KafkaSettings kafka;
    private BadMinibatchPolicy onBadMinibatch = BadMinibatchPolicy.FAIL;
    private DeadLetters deadLetters;

    public MinibatchSource(KafkaSettings kafka, String topic, String stream, String consumerGroup) {
        this(kafka, topic, stream, consumerGroup, ConnectionWatch.DEFAULT_INTERVAL);
    }

    /** The same, checking its connection to the cluster every {@code connectionCheck} (tests check often). */
    MinibatchSource(KafkaSettings kafka, String topic, String stream, String consumerGroup, Duration connectionCheck) {
        this.consumer = new KafkaConsumer<>(kafka.layered(Map.of(), Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, consumerGroup,
                // Offsets are committed in each snapshot's transaction, never in between.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Only minibatches of committed producer transactions count.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // Never jump silently: a position whose records retention deleted is an error (see next()).
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName())));
        this.kafka = kafka;
        this.partition = new TopicPartition(topic, 0);
        this.stream = stream;
        List<PartitionInfo> partitions;
        try {
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            consumer.close();
            throw ClusterAccessException.explain(e, kafka, Access.reading());
        }
        if (partitions == null || partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("minibatch topic " + topic + " does not exist");
        }
        if (partitions.size() != 1) {
            consumer.close();
            throw new IllegalStateException("minibatch topic " + topic + " has " + partitions.size()
                    + " partitions; a stream must be totally ordered, so it needs exactly 1");
        }
        consumer.assign(List.of(partition));
        this.watch = ConnectionWatch.start("trainer", kafka, consumer::metrics, connectionCheck);
    }

    /** Fail if the stream's first minibatch has not come after {@code limit} (null: wait as long as it takes). */
    public void waitForFirst(Duration limit) {
        this.waitForFirst = limit;
    }

    /** What to do with a record of the stream that does not decode (default: {@link BadMinibatchPolicy#FAIL}). */
    public void onBadMinibatch(BadMinibatchPolicy policy) {
        this.onBadMinibatch = policy;
    }

    public void seek(OptionalLong offset) {
        if (offset.isPresent()) {
            consumer.seek(partition, offset.getAsLong());
        } else {
            consumer.seekToBeginning(List.of(partition));
        }
    }

    /** The next minibatch of the stream; waits for it as long as it takes. */
    @Override
    public StreamedBatch next() {
        Instant waitingSince = Instant.now();
        boolean saidWaiting = false;
        while (true) {
            while (!pending.isEmpty()) {
                ConsumerRecord<String, byte[]> record = pending.poll();
                if (!stream.equals(record.key())) {
                    skipped++;
                    if (otherStreams.size() <= STREAMS_NAMED) {
                        otherStreams.add(String.valueOf(record.key()));
                    }
                    continue;
                }
                streamSeen = true;
                try {
                    Minibatch batch = decoder.deserialize(record.topic(), record.value());
                    return new StreamedBatch(batch, record.topic(), record.partition(), record.offset());
                } catch (SerializationException e) {
                    if (onBadMinibatch == BadMinibatchPolicy.SKIP) {
                        return skip(record, e);
                    }
                    throw new SerializationException("cannot decode minibatch at " + record.topic() + "-"
                            + record.partition() + " offset " + record.offset() + ": " + e.getMessage()
                            + " (--on-bad-minibatch skip trains on without it)", e);
                }
            }
            try {
                consumer.poll(POLL).forEach(pending::add);
            } catch (AuthenticationException | AuthorizationException e) {
                throw ClusterAccessException.explain(e, kafka, Access.reading());
            } catch (OffsetOutOfRangeException e) {
                long logStart = consumer.beginningOffsets(List.of(partition)).get(partition);
                throw new IllegalStateException("stream " + stream + ": offset " + e.offsetOutOfRangePartitions()
                        .get(partition) + " of " + partition + " is no longer on the broker (the log now starts at "
                        + logStart + "): retention deleted these minibatches, so this run can be neither resumed "
                        + "nor replayed; see 'Retention and replay' in the README", e);
            }
            Duration waited = Duration.between(waitingSince, Instant.now());
            if (!streamSeen && pending.isEmpty()) {
                if (waitForFirst != null && waited.compareTo(waitForFirst) > 0) {
                    throw new IllegalArgumentException("stream " + stream + " did not appear on topic "
                            + partition.topic() + " within " + waitForFirst.toSeconds() + " s (--wait-for-stream); "
                            + streamsThere() + "; produce it first, or check --stream");
                }
                // only where a limit is set: 'local' waits for its own producer, which may be slow to start
                if (!saidWaiting && waitForFirst != null && waited.compareTo(SAY_WAITING_AFTER) > 0) {
                    saidWaiting = true;
                    log.warn("waiting for stream {} on topic {} ({}; giving up after {} s)", stream, partition.topic(),
                            streamsThere(), waitForFirst.toSeconds());
                }
            }
            if (!saidWaiting && pending.isEmpty() && waited.compareTo(SAY_IDLE_AFTER) > 0) {
                // once a wait: an open stream may pause for hours, and the log is not to fill up meanwhile
                saidWaiting = true;
                log.info("waiting for minibatches of stream {} on {}: none for {} s (position {}, {} records of other "
                        + "streams skipped); said once until they come", stream, partition,
                        SAY_IDLE_AFTER.toSeconds(), consumer.position(partition), skipped);
            }
        }
    }

    /** Dead-letters {@code record} and hands it on as skipped. */
    private StreamedBatch skip(ConsumerRecord<String, byte[]> record, SerializationException e) {
        if (deadLetters == null) {
            deadLetters = DeadLetters.of(kafka);
        }
        deadLetters.reject(new DeadLetters.Rejected(record.topic(), record.partition(), record.offset(),
                record.key().getBytes(StandardCharsets.UTF_8), record.value(), Rejection.UNDECODABLE,
                e));
        return StreamedBatch.skipped(record.topic(), record.partition(), record.offset(), e.getMessage());
    }

    /** The other streams read on the topic so far, for the messages about a stream that is not there. */
    private String streamsThere() {
        if (otherStreams.isEmpty()) {
            return "no minibatches of any stream there yet";
        }
        List<String> named = otherStreams.stream().limit(STREAMS_NAMED).toList();
        return "streams read there: " + String.join(", ", named) + (otherStreams.size() > STREAMS_NAMED ? ", …" : "");
    }

    /** Whether the consumer was connected to the cluster at the last check. */
    boolean connected() {
        return watch.connected();
    }

    /** Makes a waiting {@link #next} throw Kafka's {@code WakeupException} (the consumer's wakeup()). */
    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    /** Publishes the consumer's own metrics (fetch rates, records-lag-max, ...) to {@code registry}. */
    public void bindTo(MeterRegistry registry) {
        metrics = new KafkaClientMetrics(consumer, Tags.of("service", "trainer"));
        metrics.bindTo(registry);
    }

    @Override
    public void close() {
        watch.close();
        if (deadLetters != null) {
            deadLetters.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        consumer.close();
    }
}
