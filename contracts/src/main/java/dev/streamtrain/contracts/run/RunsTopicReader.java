package dev.streamtrain.contracts.run;

import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.kafka.LatestByKey;
import dev.streamtrain.contracts.wire.RunRecordDeserializer;

import java.util.Map;
import java.util.Optional;

/**
 * Reads the runs topic (compacted, read_committed) to its end: the latest record of every run.
 * The topic holds one small JSON record per run and status change, so reading it whole is cheap.
 */
public final class RunsTopicReader {

    private RunsTopicReader() {
    }

    /** The latest committed record of every run, in the order the runs started. */
    public static Map<String, RunRecord> readAll(KafkaSettings kafka, String topic) {
        return LatestByKey.read(kafka, topic, new RunRecordDeserializer(), RunRecord::runId);
    }

    public static Optional<RunRecord> find(KafkaSettings kafka, String topic, String runId) {
        return Optional.ofNullable(readAll(kafka, topic).get(runId));
    }
}
