package dev.streamtrain.trainer;

import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.function.Function;

/** Where a training loop records its run: Kafka transactions ({@link SnapshotPublisher}), or memory in tests. */
public interface SnapshotSink {

    /**
     * Commits {@code snapshot}, the run record built from where it was written, and the consumed
     * position {@code nextOffset} of {@code minibatches}, atomically. Returns the committed run record.
     */
    RunRecord commit(WeightSnapshot snapshot, TopicPartition minibatches, long nextOffset,
                     Function<RecordMetadata, RunRecord> runRecordForSnapshotAt);

    /** Commits a run record alone (a start or a status change). */
    void publish(RunRecord record);
}
