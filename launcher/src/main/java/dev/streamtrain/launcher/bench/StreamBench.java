package dev.streamtrain.launcher.bench;

import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.producer.MinibatchProducer;
import dev.streamtrain.producer.ProducedStream;
import dev.streamtrain.producer.ProducerMetrics;
import dev.streamtrain.trainer.Trainer;
import dev.streamtrain.trainer.TrainerSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The producer alone, then the trainer alone on what it produced: the producer fills the minibatch
 * topic with the test set and {@code epochs} epochs of the training set (timed: MB/s and
 * minibatches/s of the training stream, serialized bytes as the broker acknowledged them), then a
 * trainer trains the whole stream from the topic with snapshots at epoch ends, timed per epoch by
 * an {@link EpochClock}.
 */
final class StreamBench {

    /** What was produced and measured; {@code stream} and {@code topics} are reused by later measurements. */
    record Result(ProducedStream stream, TopicNames topics, Figure producerBytes, Figure producerBatches,
                  Figure train) {
    }

    private StreamBench() {
    }

    static Result run(KafkaSettings kafka, BenchPlan plan, BenchData data, TopicNames topics, String streamId) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProducedStream produced;
        double produceSeconds;
        try (MinibatchProducer producer = new MinibatchProducer(kafka, topics, new ProducerMetrics(registry))) {
            producer.produceTestSet(data.test(), plan.testBatchSize());
            long started = System.nanoTime();
            produced = producer.produceTrainingStream(streamId, data.train(), plan.batchSize(), plan.epochs(),
                    plan.sampling(), plan.testBatchSize());
            produceSeconds = (System.nanoTime() - started) / 1e9;
        }
        double bytes = registry.find("streamtrain.producer.bytes").tag("split", "train").counters().stream()
                .mapToDouble(Counter::count).sum();
        Map<String, Object> produceDetails = new LinkedHashMap<>();
        produceDetails.put("batches", produced.batches());
        produceDetails.put("serializedBytes", (long) bytes);
        produceDetails.put("seconds", produceSeconds);
        produceDetails.put("what", "the training stream alone into an otherwise idle broker, until every batch is "
                + "acknowledged; MB = 10^6 bytes of serialized minibatch records");
        Figure producerBytes = Figure.measured("producer (stream into the topic)", bytes / 1e6 / produceSeconds,
                "MB/s", produceDetails);
        Figure producerBatches = Figure.measured("producer (stream into the topic)",
                produced.batches() / produceSeconds, "minibatches/s", Map.of("batches", produced.batches(),
                        "seconds", produceSeconds));

        EpochClock clock = new EpochClock();
        new Trainer(kafka, new TrainerSettings(streamId, streamId, plan.recipe(), plan.seed(), plan.snapshotEvery(), 0,
                OptionalLong.of(produced.firstOffset()), topics, plan.threads(), plan.engine()), clock).run();
        Map<String, Object> trainDetails = new LinkedHashMap<>();
        trainDetails.put("startupSeconds", clock.startupSeconds());
        trainDetails.put("msPerBatch", clock.millisPerBatch()[0]);
        trainDetails.put("stepMsPerBatch", clock.millisPerBatch()[1]);
        trainDetails.put("perEpoch", clock.describe());
        trainDetails.put("what", "train from a pre-filled minibatch topic, snapshots committed at epoch ends; "
                + "start-up (and the first step) excluded");
        Figure train = Figure.measured("trainer from the topic (marginal, per epoch)", clock.samplesPerSecond(),
                Figure.SAMPLES_PER_SECOND, trainDetails);
        return new Result(produced, topics, producerBytes, producerBatches, train);
    }
}
