package dev.streamtrain.launcher;

import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.producer.ProducedStream;
import dev.streamtrain.trainer.TrainingResult;

import java.util.List;

/** What a local run did: the stream produced, the training, and the metrics of every snapshot. */
public record LocalResult(ProducedStream stream, TrainingResult training, List<TestMetrics> metrics) {
}
