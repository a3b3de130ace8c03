package dev.streamtrain.server;

import dev.streamtrain.contracts.kafka.DeadLetters;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.kafka.Rejection;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.contracts.topic.TopicConfigs;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Follows one run's committed snapshots (and, for {@code best}, its metrics) and swaps the served
 * model as its {@link SnapshotChoice} says. One read_committed consumer, on a thread of its own, is
 * assigned the run's partition of the snapshot topic (and of the metrics topic): the partition of the
 * run id, where the trainer (and the evaluator) put every record of the run. It first reads what is
 * there (for {@code latest} from the run's latest snapshot as its run record gives it, for
 * {@code best} from the start) and serves what that history chose, then serves each swap as soon as
 * the record that causes it is read. A record of the run that does not decode, or holds another run,
 * is skipped and dead-lettered as every reader does.
 */
public final class SnapshotFollower implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SnapshotFollower.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaSettings kafka;
    private final TopicNames topics;
    private final String runId;
    private final SnapshotChoice choice;
    private final ModelSlot slot;
    private final CompletableFuture<Void> failed = new CompletableFuture<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final WeightSnapshotDeserializer snapshots = new WeightSnapshotDeserializer();
    private final TestMetricsDeserializer metrics = new TestMetricsDeserializer();
    private volatile boolean running = true;
    private Thread thread;

    public SnapshotFollower(KafkaSettings kafka, TopicNames topics, String runId, ServePolicy policy, ModelSlot slot) {
        this.kafka = kafka;
        this.topics = topics;
        this.runId = runId;
        this.choice = SnapshotChoice.of(policy);
        this.slot = slot;
        this.consumer = new KafkaConsumer<>(kafka.layered(
                // a fetch must hold at least one snapshot
                Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, TopicConfigs.MAX_SNAPSHOT_BYTES),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                        // asking for a topic not yet there must not create it (with the broker's partitions)
                        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Starts following on a thread of its own. */
    public void start() {
        thread = new Thread(this::follow, "snapshot-follower-" + runId);
        thread.setDaemon(true);
        thread.start();
    }

    /** Completes exceptionally if following fails. */
    public CompletableFuture<Void> failure() {
        return failed;
    }

    private void follow() {
        try (DeadLetters deadLetters = DeadLetters.of(kafka)) {
            TopicPartition snapshotPartition = partitionOfRun(topics.snapshots());
            List<TopicPartition> partitions = new ArrayList<>(List.of(snapshotPartition));
            if (choice.needsMetrics()) {
                partitions.add(partitionOfRun(topics.metrics()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            latestSnapshot().filter(r -> r.snapshotPartition() == snapshotPartition.partition())
                    .ifPresent(r -> consumer.seek(snapshotPartition, r.snapshotOffset()));
            Map<TopicPartition, Long> history = consumer.endOffsets(partitions);
            Optional<ServedModel> chosen = Optional.empty();
            boolean caughtUp = false;
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    Optional<ServedModel> next = read(record, deadLetters);
                    if (next.isPresent()) {
                        if (caughtUp) {
                            serve(next.get());
                        } else {
                            chosen = next;
                        }
                    }
                }
                if (!caughtUp && partitions.stream().allMatch(p -> consumer.position(p) >= history.get(p))) {
                    caughtUp = true;
                    chosen.ifPresentOrElse(this::serve, () -> log.info("run {} has no snapshot to serve yet; "
                            + "waiting for one", runId));
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failed.completeExceptionally(e);
            }
        } catch (RuntimeException e) {
            log.error("following the snapshots of run {} failed: {}", runId, e.getMessage(), e);
            failed.completeExceptionally(e);
        } finally {
            consumer.close();
        }
    }

    private void serve(ServedModel model) {
        log.info("serving {}", model);
        slot.serve(model);
    }

    /** What the record tells the choice, if it is a record of the run; a record it cannot use is dead-lettered. */
    private Optional<ServedModel> read(ConsumerRecord<byte[], byte[]> record, DeadLetters deadLetters) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (!runId.equals(key)) {
            return Optional.empty(); // another run of the same partition
        }
        boolean snapshot = record.topic().equals(topics.snapshots());
        try {
            if (snapshot) {
                WeightSnapshot s = snapshots.deserialize(record.topic(), record.value());
                if (s == null) {
                    return Optional.empty();
                }
                if (!runId.equals(s.runId())) {
                    throw new MisKeyed(s.runId());
                }
                return choice.onSnapshot(s);
            }
            TestMetrics m = metrics.deserialize(record.topic(), record.value());
            if (m == null) {
                return Optional.empty();
            }
            if (!runId.equals(m.runId())) {
                throw new MisKeyed(m.runId());
            }
            return choice.onMetrics(m);
        } catch (MisKeyed e) {
            deadLetters.reject(rejected(record, Rejection.KEY_MISMATCH, e));
        } catch (RuntimeException e) {
            // a snapshot that does not decode, or whose network cannot be served, is skipped
            deadLetters.reject(rejected(record, Rejection.UNDECODABLE, e));
        }
        return Optional.empty();
    }

    /** A record of the run that holds another run. */
    private final class MisKeyed extends IllegalArgumentException {
        MisKeyed(String holds) {
            super("record keyed '" + runId + "' holds run '" + holds + "'");
        }
    }

    private static DeadLetters.Rejected rejected(ConsumerRecord<byte[], byte[]> record, Rejection reason,
                                                 Exception cause) {
        return new DeadLetters.Rejected(record.topic(), record.partition(), record.offset(), record.key(),
                record.value(), reason, cause);
    }

    /**
     * For {@code latest}, the run's record if it names its latest committed snapshot on this snapshot topic: the
     * snapshots before it need not be read. None for {@code best}, or a run without a record or snapshot.
     */
    private Optional<RunRecord> latestSnapshot() {
        if (choice.needsMetrics()) {
            return Optional.empty();
        }
        return RunsTopicReader.find(kafka, topics.runs(), runId)
                .filter(r -> r.snapshotOffset() >= 0 && r.spec().topics().snapshots().equals(topics.snapshots()));
    }

    /**
     * The partition of {@code topic} that holds the run's records: Kafka's default partitioner's for the run id.
     * A topic that does not exist yet is waited for (saying so once).
     */
    private TopicPartition partitionOfRun(String topic) {
        boolean said = false;
        while (running) {
            List<PartitionInfo> info = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (info != null && !info.isEmpty()) {
                byte[] key = runId.getBytes(StandardCharsets.UTF_8);
                return new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % info.size());
            }
            if (!said) {
                log.warn("topic {} does not exist yet; waiting for it", topic);
                said = true;
            }
            sleep(POLL);
        }
        throw new WakeupException();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread == null) {
            consumer.close();
            return;
        }
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
