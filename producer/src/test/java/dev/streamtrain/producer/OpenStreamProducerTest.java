package dev.streamtrain.producer;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchDeserializer;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.streamtrain.producer.MinibatchProducerTest.dataset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class OpenStreamProducerTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    @Test
    void anOpenStreamGoesOnPassAfterPassUntilStoppedAndEverythingSentIsAcked() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        AtomicInteger acked = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        TrainingStream stream = TrainingStream.open("live", dataset(Split.TRAIN, 100), 25, new Sampling(true, false, 9,
                0), 25).drifting(Drift.permuteLabels(10, 9));
        try (MinibatchProducer producer = new MinibatchProducer(KafkaSettings.of(KAFKA.bootstrapServers()), topics,
                (topic, key, batch, bytes) -> acked.incrementAndGet())) {
            CompletableFuture<ProducedStream> produced = CompletableFuture.supplyAsync(() -> {
                try {
                    return producer.produce(stream, Pacer.perSecond(2500), stop::get); // 100 batches a second
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(30, TimeUnit.SECONDS).until(() -> acked.get() >= 14); // 3 passes of 4, and 2 more
            assertThat(produced).isNotDone();
            stop.set(true);
            ProducedStream result = produced.get(30, TimeUnit.SECONDS);
            assertThat(result.batches()).isEqualTo(acked.get()).isGreaterThanOrEqualTo(14);
            assertThat(result.lastOffset() - result.firstOffset() + 1).isEqualTo(result.batches());
        }
        List<Minibatch> sent = TopicRecords.readAll(KAFKA.bootstrapServers(), topics.minibatches(),
                new StringDeserializer(), new MinibatchDeserializer()).stream().map(r -> r.value()).toList();
        LabelPermutation permutation = LabelPermutation.derangement(10, 9);
        TrainingBatches plain = new TrainingBatches(TrainingStream.open("live", stream.train(), 25, stream.sampling(),
                25), new StreamPlan(100, stream.sampling(), 25));
        for (int i = 0; i < sent.size(); i++) {
            Minibatch batch = sent.get(i);
            assertThat(batch.epochs()).isEqualTo(Minibatch.OPEN);
            assertThat(batch.epoch()).isEqualTo(i / 4 + 1);
            assertThat(batch.batchIndex()).isEqualTo(i % 4);
            Minibatch undrifted = plain.batch(batch.epoch(), batch.batchIndex(), i);
            assertThat(batch.labels()).as("batch %d", i)
                    .isEqualTo(i < 10 ? undrifted.labels() : permutation.apply(undrifted.labels()));
        }
    }
}
