package dev.streamtrain.trainer;

import dev.streamtrain.contracts.kafka.Access;
import dev.streamtrain.contracts.kafka.ClusterAccessException;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.topic.RecordKeys;
import dev.streamtrain.contracts.topic.TopicConfigs;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.RunRecordSerializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotSerializer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.ExecutionException;

/**
 * Publishes a run's snapshots exactly once: each snapshot, the run's updated record and the
 * consumed minibatch offset are committed in one Kafka transaction, so after a crash the snapshot
 * topic, the runs topic and the consumer group's offset always agree. The transactional id is
 * per run ({@code streamtrain-trainer-<runId>}): a second trainer of the same run fences this one.
 */
public final class SnapshotPublisher implements SnapshotSink, AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaSettings kafka;
    private final String runId;
    private final TopicNames topics;
    private final String consumerGroup;
    private final WeightSnapshotSerializer snapshots = new WeightSnapshotSerializer();
    private final RunRecordSerializer runs = new RunRecordSerializer();

    public SnapshotPublisher(KafkaSettings kafka, TopicNames topics, String runId, String consumerGroup) {
        this.runId = runId;
        this.topics = topics;
        this.consumerGroup = consumerGroup;
        this.kafka = kafka;
        this.producer = new KafkaProducer<>(kafka.layered(
                Map.of(
                        // A snapshot of the tutorial MLP is 2.7 MB; allow what the topic accepts.
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicConfigs.MAX_SNAPSHOT_BYTES,
                        ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * TopicConfigs.MAX_SNAPSHOT_BYTES),
                Map.of(
                        // One transactional id per run: restarts fence the zombie, never interleave with it.
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG, consumerGroup,
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName())),
                null, null);
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close();
            throw ClusterAccessException.explain(e, kafka, access());
        }
    }

    /** What it writes: the snapshot and runs topics, with the run's transactional id. */
    private Access access() {
        return Access.writingTransactionally(consumerGroup);
    }

    /**
     * Commits {@code snapshot}, the run record built from its offset, and the consumed position
     * {@code nextOffset} of {@code minibatches}, atomically. Returns the committed run record.
     */
    @Override
    public RunRecord commit(WeightSnapshot snapshot, TopicPartition minibatches, long nextOffset,
                            Function<RecordMetadata, RunRecord> runRecordForSnapshotAt) {
        producer.beginTransaction();
        try {
            RecordMetadata written = producer.send(new ProducerRecord<>(topics.snapshots(),
                    RecordKeys.run(snapshot.runId()), snapshots.serialize(topics.snapshots(), snapshot))).get();
            RunRecord record = runRecordForSnapshotAt.apply(written);
            sendRunRecord(record);
            producer.sendOffsetsToTransaction(Map.of(minibatches, new OffsetAndMetadata(nextOffset)),
                    new ConsumerGroupMetadata(consumerGroup));
            producer.commitTransaction();
            return record;
        } catch (ExecutionException e) {
            throw abort("publishing " + snapshot, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abort("publishing " + snapshot, e);
        } catch (KafkaException e) {
            throw abort("publishing " + snapshot, e);
        }
    }

    /** Commits a run record alone (a start or a status change). */
    @Override
    public void publish(RunRecord record) {
        producer.beginTransaction();
        try {
            sendRunRecord(record);
            producer.commitTransaction();
        } catch (KafkaException e) {
            throw abort("publishing the status of run " + record.runId(), e);
        }
    }

    private void sendRunRecord(RunRecord record) {
        producer.send(new ProducerRecord<>(topics.runs(), RecordKeys.run(record.runId()),
                runs.serialize(topics.runs(), record)));
    }

    private RuntimeException abort(String what, Throwable cause) {
        if (isFenced(cause)) {
            return fenced(cause);
        }
        try {
            producer.abortTransaction();
        } catch (KafkaException ignored) {
            // the producer is unusable; the caller fails the run
        }
        return ClusterAccessException.explain(new KafkaException(what + " failed: " + cause.getMessage(), cause),
                kafka, access());
    }

    /** A newer producer with our transactional id exists: the broker says so in either of two ways. */
    private static boolean isFenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    private RunFencedException fenced(Throwable e) {
        return new RunFencedException("another trainer of run " + runId + " took over (transactional id fenced); "
                + "this one stops without committing", e);
    }

    @Override
    public void close() {
        producer.close();
    }
}
