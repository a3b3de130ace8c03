package dev.streamtrain.trainer;

import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.DeadLetters;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunStatus;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.transform.Normalize;
import dev.streamtrain.contracts.wire.ConsumedOffset;
import dev.streamtrain.contracts.wire.EpochAccuracy;
import dev.streamtrain.contracts.wire.EpochLoss;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import dev.streamtrain.model.Models;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.schedule.Constant;
import dev.streamtrain.producer.MinibatchProducer;
import dev.streamtrain.producer.ProducedStream;
import dev.streamtrain.producer.ProducerListener;
import dev.streamtrain.producer.StreamPlan;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

class TrainerTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    private static final int SAMPLES = 320;
    private static final int BATCH = 32;

    private final KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());

    @Test
    void trainsTheStreamAndSnapshotsEveryEpochAndEveryNBatches() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        ProducedStream stream = produce(topics, "s1", 2);
        RecordingListener listener = new RecordingListener();

        TrainingResult result = new Trainer(kafka, settings("r1", "s1", topics, 4, OptionalLong.empty()), listener)
                .run();

        assertThat(result.steps()).isEqualTo(20);
        assertThat(result.samplesSeen()).isEqualTo(2L * SAMPLES);
        assertThat(listener.epochsStarted).containsExactly(1, 2);
        assertThat(meanLoss(listener.losses.subList(10, 20))).isLessThan(meanLoss(listener.losses.subList(0, 10)));

        List<WeightSnapshot> snapshots = snapshots(topics);
        assertThat(snapshots).extracting(WeightSnapshot::step).containsExactly(4L, 8L, 10L, 12L, 16L, 20L);
        assertThat(snapshots).extracting(WeightSnapshot::epochEnd)
                .containsExactly(false, false, true, false, false, true);
        assertThat(snapshots).extracting(WeightSnapshot::finalSnapshot)
                .containsExactly(false, false, false, false, false, true);
        // each snapshot carries its epoch's batch losses so far, summed in training order
        assertThat(snapshots).extracting(WeightSnapshot::trainLoss).containsExactly(
                epochLoss(listener.losses, 0, 4), epochLoss(listener.losses, 0, 8),
                epochLoss(listener.losses, 0, 10), epochLoss(listener.losses, 10, 12),
                epochLoss(listener.losses, 10, 16), epochLoss(listener.losses, 10, 20));
        assertThat(snapshots.get(5).trainLoss().mean()).isEqualTo(meanLoss(listener.losses.subList(10, 20)),
                within(1e-12));
        // and the samples of its epoch its forward passes classified correctly, out of those trained so far
        assertThat(snapshots).extracting(s -> s.trainAccuracy().samples())
                .containsExactly(128L, 256L, 320L, 64L, 192L, 320L);
        assertThat(snapshots.get(5).trainAccuracy().correct()).isEqualTo(Math.round(listener.accuracies.subList(10, 20)
                .stream().mapToDouble(a -> a * BATCH).sum()));
        WeightSnapshot last = snapshots.get(5);
        assertThat(last.spec().loader()).isEqualTo(sampling("s1"));
        assertThat(last.samplesSeen()).isEqualTo(2L * SAMPLES);
        assertThat(last.parametersSha256()).isEqualTo(result.finalSha256())
                .isEqualTo(WeightSnapshot.sha256(last.parameters()));
        assertThat(last.offsets()).containsExactly(
                new ConsumedOffset(topics.minibatches(), 0, stream.lastOffset() + 1));
        assertThat(last.spec().dataset()).isEqualTo("fashion-mnist");
        assertThat(last.spec().batchSize()).isEqualTo(BATCH);
        assertThat(last.spec().epochs()).isEqualTo(2);
        assertThat(last.spec().environment().mathThreads()).isEqualTo(1);
        assertThat(committedOffset("streamtrain-trainer-r1", topics.minibatches())).isEqualTo(stream.lastOffset() + 1);
    }

    @Test
    void sameStreamAndSeedGiveBitIdenticalWeightsAndOtherStreamsAreSkipped() {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        ProducedStream a = produce(topics, "a", 1);
        ProducedStream b = produce(topics, "b", 1);

        // b, found by scanning from the start of the topic (skipping a), and b from its first offset
        TrainingResult scanned = new Trainer(kafka, settings("rb1", "b", topics, 0, OptionalLong.empty()),
                new RecordingListener()).run();
        TrainingResult seeked = new Trainer(kafka, settings("rb2", "b", topics, 0,
                OptionalLong.of(b.firstOffset())), new RecordingListener()).run();
        TrainingResult onA = new Trainer(kafka, settings("ra", "a", topics, 0, OptionalLong.of(a.firstOffset())),
                new RecordingListener()).run();

        assertThat(scanned.finalSha256()).isEqualTo(seeked.finalSha256());
        assertThat(onA.finalSha256()).as("stream a holds the same samples in another order")
                .isNotEqualTo(scanned.finalSha256());
    }

    @Test
    void restartingAFinishedRunTrainsNothingAndReportsItsResult() {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        produce(topics, "s", 1);
        TrainingResult first = new Trainer(kafka, settings("once", "s", topics, 0, OptionalLong.empty()),
                new RecordingListener()).run();
        RecordingListener again = new RecordingListener();
        TrainingResult second = new Trainer(kafka, settings("once", "s", topics, 0, OptionalLong.empty()), again)
                .run();
        assertThat(again.losses).isEmpty();
        assertThat(second.finalSha256()).isEqualTo(first.finalSha256());
        assertThat(second.samplesSeen()).isEqualTo(SAMPLES);
        assertThat(snapshots(topics)).hasSize(1);
        RunRecord record = RunsTopicReader.find(kafka, topics.runs(), "once").orElseThrow();
        assertThat(record.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(record.firstOffset()).isZero();
        assertThat(record.nextOffset()).isEqualTo(10);
        assertThat(record.snapshotSha256()).isEqualTo(first.finalSha256());
    }

    @Test
    void aStoppedTrainerResumesFromItsLastSnapshotToTheSameWeights() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        produce(topics, "s", 2);
        TrainingResult uninterrupted = new Trainer(kafka, settings("whole", "s", topics, 3, OptionalLong.empty()),
                new RecordingListener()).run();

        // stop the first trainer right after its third snapshot (step 9) by failing in the listener
        RecordingListener stopping = new RecordingListener() {
            @Override
            public void onSnapshot(WeightSnapshot snapshot) {
                if (snapshot.step() == 9) {
                    throw new IllegalStateException("simulated crash after step 9");
                }
            }
        };
        assertThatThrownBy(() -> new Trainer(kafka, settings("resumed", "s", topics, 3, OptionalLong.empty()),
                stopping).run()).hasMessage("simulated crash after step 9");
        RunRecord failed = RunsTopicReader.find(kafka, topics.runs(), "resumed").orElseThrow();
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.step()).isEqualTo(9);

        List<String> resumes = new ArrayList<>();
        RecordingListener rest = new RecordingListener() {
            @Override
            public void onResume(WeightSnapshot snapshot, long nextOffset) {
                resumes.add(snapshot.step() + "@" + nextOffset);
            }
        };
        TrainingResult resumed = new Trainer(kafka, settings("resumed", "s", topics, 3, OptionalLong.empty()), rest)
                .run();
        assertThat(resumes).as("told once where it resumes: the step 9 snapshot, minibatch offset 9")
                .containsExactly("9@" + (failed.nextOffset()));
        assertThat(failed.nextOffset()).isEqualTo(failed.firstOffset() + 9);
        assertThat(rest.losses).hasSize(11); // steps 10..20
        assertThat(rest.epochsStarted).containsExactly(2);
        assertThat(resumed.samplesSeen()).isEqualTo(2L * SAMPLES);
        assertThat(resumed.finalSha256()).isEqualTo(uninterrupted.finalSha256());
        // the resumed epoch goes on adding to the loss sum restored from the step 9 snapshot
        Map<Long, EpochLoss> wholeLosses = new HashMap<>();
        Map<Long, EpochLoss> resumedLosses = new HashMap<>();
        Map<Long, EpochAccuracy> wholeAccuracy = new HashMap<>();
        Map<Long, EpochAccuracy> resumedAccuracy = new HashMap<>();
        for (WeightSnapshot s : snapshots(topics)) {
            (s.runId().equals("whole") ? wholeLosses : resumedLosses).put(s.step(), s.trainLoss());
            (s.runId().equals("whole") ? wholeAccuracy : resumedAccuracy).put(s.step(), s.trainAccuracy());
        }
        assertThat(resumedLosses).hasSize(8).isEqualTo(wholeLosses);
        assertThat(resumedAccuracy).hasSize(8).isEqualTo(wholeAccuracy);
        assertThat(resumedAccuracy.get(12L).samples()).as("step 12: batches 0 and 1 of epoch 2").isEqualTo(64);
        assertThat(resumedLosses.get(10L).batches()).isEqualTo(10);
        assertThatThrownBy(() -> new Trainer(kafka, settings2("resumed", "s", topics, 0.1), rest).run())
                .hasMessageContaining("run resumed exists with optimizer")
                .hasMessageContaining("resume it with the same settings");
        TrainingRecipe tutorial = TrainingRecipe.tutorial(0.05);
        TrainingRecipe normalized = new TrainingRecipe(tutorial.model(), tutorial.modelOptions(), tutorial.loss(),
                tutorial.optimizer(), tutorial.schedule(), List.of(new Normalize(new double[] {0.5},
                new double[] {0.5})));
        assertThatThrownBy(() -> new Trainer(kafka, new TrainerSettings("resumed", "s", normalized, 42, 3, 0,
                OptionalLong.empty(), topics, 1), rest).run())
                .hasMessageContaining("run resumed exists with transforms [] (asked [Normalize(mean=[0.5], "
                        + "std=[0.5])])");
        assertThatThrownBy(() -> new Trainer(kafka, new TrainerSettings("resumed", "s", tutorial, 42, 3, 0,
                OptionalLong.empty(), topics, 1, "blas"), rest).run())
                .hasMessage("run resumed exists with engine dl4j (asked blas); resume it with the same settings, or "
                        + "start a new --run-id");
    }

    @Test
    void theBlasEngineTrainsTheStreamAsDl4jDoesAndRefusesWhatItCannotComputeBeforeARunIsRecorded() {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        produce(topics, "s", 1);
        TrainingResult onDl4j = new Trainer(kafka, settings("on-dl4j", "s", topics, 0, OptionalLong.empty()),
                new RecordingListener()).run();
        TrainingResult onBlas = new Trainer(kafka, new TrainerSettings("on-blas", "s", TrainingRecipe.tutorial(0.05),
                42, 0, 0, OptionalLong.empty(), topics, 1, "blas"), new RecordingListener()).run();

        assertThat(RunsTopicReader.find(kafka, topics.runs(), "on-blas").orElseThrow().spec().engine())
                .isEqualTo("blas");
        assertThat(onBlas.steps()).isEqualTo(onDl4j.steps());
        assertThat(onBlas.finalSha256()).as("two engines, two float32 orders of summation")
                .isNotEqualTo(onDl4j.finalSha256());
        assertThat(onBlas.lastLoss()).isCloseTo(onDl4j.lastLoss(), within(1e-4 * onDl4j.lastLoss()));

        TrainingRecipe batchNorm = new TrainingRecipe("mlp", Models.resolveOptions("mlp",
                Map.of("hidden", List.of(8), "batch_norm", true)), "cross-entropy", Sgd.of(0.05), new Constant(),
                List.of());
        assertThatThrownBy(() -> new Trainer(kafka, new TrainerSettings("bn-on-blas", "s", batchNorm, 42, 0, 0,
                OptionalLong.empty(), topics, 1, "blas"), new RecordingListener()).run())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not layer 2, BatchNorm(8, eps=1.0E-5, momentum=0.1); use --engine dl4j");
        assertThat(RunsTopicReader.find(kafka, topics.runs(), "bn-on-blas")).isEmpty();
    }

    @Test
    void anUndecodableMinibatchStopsTheTrainerNamingItsOffset() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        produce(topics, "other", 1); // offsets 0..9, creates the topics
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topics.minibatches(), "bad", new byte[] {'S', 'T', 'M', 'X', 1})).get();
        }
        assertThatThrownBy(() -> new Trainer(kafka, settings("rbad", "bad", topics, 0, OptionalLong.empty()),
                new RecordingListener()).run())
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot decode minibatch at " + topics.minibatches() + "-0 offset 10")
                .hasMessageContaining("bad magic");
        assertThat(snapshots(topics)).isEmpty();
    }

    @Test
    void withSkipABadMinibatchIsDeadLetteredRecordedInTheRunAndSkippedAlikeByAReplay() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        var data = SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, SAMPLES, 1);
        Sampling sampling = sampling("s");
        StreamPlan plan = new StreamPlan(SAMPLES, sampling, BATCH);
        var slicer = new dev.streamtrain.producer.MinibatchSlicer(data, Split.TRAIN, SAMPLES, BATCH,
                plan.batchesPerEpoch(), sampling);
        new MinibatchProducer(kafka, topics, ProducerListener.NONE).close(); // creates the topics
        byte[] bad = {'S', 'T', 'M', 'X', 1};
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            var serializer = new dev.streamtrain.contracts.wire.MinibatchSerializer();
            for (int epoch = 1; epoch <= 2; epoch++) {
                int[] order = plan.epochOrder(epoch);
                for (int b = 0; b < 10; b++) {
                    // batch 3 and the last batch of epoch 1 (offsets 3 and 9) are damaged
                    boolean damaged = epoch == 1 && (b == 3 || b == 9);
                    raw.send(new ProducerRecord<>(topics.minibatches(), "s", damaged ? bad
                            : serializer.serialize(topics.minibatches(), slicer.batch(epoch, 2, b, order)))).get();
                }
            }
        }
        TrainerSettings strict = settings("strict", "s", topics, 0, OptionalLong.empty());
        assertThatThrownBy(() -> new Trainer(kafka, strict, new RecordingListener()).run())
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot decode minibatch at " + topics.minibatches() + "-0 offset 3")
                .hasMessageContaining("--on-bad-minibatch skip");

        TrainerSettings skip = withPolicy(settings("skip", "s", topics, 0, OptionalLong.empty()),
                BadMinibatchPolicy.SKIP);
        TrainingResult result = new Trainer(kafka, skip, new RecordingListener()).run();

        assertThat(result.steps()).isEqualTo(18);
        RunRecord record = RunsTopicReader.find(kafka, topics.runs(), "skip").orElseThrow();
        assertThat(record.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(record.skippedOffsets()).containsExactly(3L, 9L);
        assertThat(snapshotsOf(topics, "skip")).extracting(WeightSnapshot::step).containsExactly(8L, 18L);
        List<String> copies = TopicRecords.readAll(KAFKA.bootstrapServers(), DeadLetters.TOPIC,
                        new StringDeserializer(), new ByteArrayDeserializer()).stream()
                .filter(r -> r.key().startsWith(topics.minibatches() + "-0@"))
                .map(r -> r.key() + " " + new String(r.headers().lastHeader(DeadLetters.HEADER_REASON).value()))
                .distinct().toList();
        assertThat(copies).containsExactly(topics.minibatches() + "-0@3 undecodable",
                topics.minibatches() + "-0@9 undecodable");

        // a replay: the run's settings from its record, under a new id, skip the same records to the same weights
        TrainerSettings replay = TrainerSettings.of(record).forRun("skip-replay", record.spec().recipe(),
                record.spec().seed(), record.spec().snapshotEvery(), 1, record.spec().engine());
        assertThat(replay.onBadMinibatch()).isEqualTo(BadMinibatchPolicy.SKIP);
        TrainingResult replayed = new Trainer(kafka, replay, new RecordingListener()).run();
        assertThat(replayed.finalSha256()).isEqualTo(result.finalSha256());
        assertThat(RunsTopicReader.find(kafka, topics.runs(), "skip-replay").orElseThrow().skippedOffsets())
                .containsExactly(3L, 9L);
    }

    private static TrainerSettings withPolicy(TrainerSettings s, BadMinibatchPolicy policy) {
        return new TrainerSettings(s.runId(), s.stream(), s.recipe(), s.seed(), s.snapshotEvery(), s.maxEpochs(),
                s.fromOffset(), s.topics(), s.mathThreads(), s.engine(), s.waitForStream(), policy);
    }

    private List<WeightSnapshot> snapshotsOf(TopicNames topics, String run) {
        return snapshots(topics).stream().filter(s -> s.runId().equals(run)).toList();
    }

    @Test
    void askingForMoreEpochsThanTheStreamHoldsIsAnError() {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        produce(topics, "short", 1);
        TrainerSettings settings = new TrainerSettings("long", "short", TrainingRecipe.tutorial(0.05),
                42, 0, 3, OptionalLong.empty(), topics, 1);
        assertThatThrownBy(() -> new Trainer(kafka, settings, new RecordingListener()).run())
                .hasMessage("--epochs 3 asked for, but stream short holds only 1 epochs");
    }

    @Test
    void aSecondTrainerOfTheSameRunFencesTheFirstAndTheyNeverInterleave() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        TopicNames reference = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        produce(reference, "s", 1);
        TrainingResult expected = new Trainer(kafka, settings("ref", "s", reference, 2, OptionalLong.empty()),
                new RecordingListener()).run();

        // the stream arrives in two halves: both trainers wait at batch 5 of 10
        var data = SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, SAMPLES, 1);
        Sampling sampling = sampling("s");
        StreamPlan plan = new StreamPlan(SAMPLES, sampling, BATCH);
        var slicer = new dev.streamtrain.producer.MinibatchSlicer(data, Split.TRAIN, SAMPLES, BATCH,
                plan.batchesPerEpoch(), sampling);
        int[] order = plan.epochOrder(1);
        new MinibatchProducer(kafka, topics, ProducerListener.NONE).close(); // creates the topics
        try (KafkaProducer<String, dev.streamtrain.contracts.wire.Minibatch> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()), new StringSerializer(),
                new dev.streamtrain.contracts.wire.MinibatchSerializer())) {
            for (int b = 0; b < 5; b++) {
                raw.send(new ProducerRecord<>(topics.minibatches(), "s", slicer.batch(1, 1, b, order))).get();
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<TrainingResult> first = pool.submit(() -> new Trainer(kafka,
                        settings("twice", "s", topics, 2, OptionalLong.empty()), new RecordingListener()).run());
                await().atMost(Duration.ofSeconds(60)).until(() -> RunsTopicReader.find(kafka, topics.runs(), "twice")
                        .map(RunRecord::step).orElse(0L) == 4);
                int epochOfFirst = producerEpoch("streamtrain-trainer-twice");
                Future<TrainingResult> second = pool.submit(() -> new Trainer(kafka,
                        settings("twice", "s", topics, 2, OptionalLong.empty()), new RecordingListener()).run());
                // the second trainer's initTransactions() bumps the epoch: from then on the first cannot commit
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> producerEpoch("streamtrain-trainer-twice") > epochOfFirst);
                for (int b = 5; b < 10; b++) {
                    raw.send(new ProducerRecord<>(topics.minibatches(), "s", slicer.batch(1, 1, b, order))).get();
                }
                assertThatThrownBy(() -> first.get(60, TimeUnit.SECONDS)).cause()
                        .isInstanceOf(RunFencedException.class)
                        .hasMessage("another trainer of run twice took over (transactional id fenced); this one stops "
                                + "without committing");
                assertThat(second.get(60, TimeUnit.SECONDS).finalSha256()).isEqualTo(expected.finalSha256());
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(snapshots(topics)).extracting(WeightSnapshot::step).containsExactly(2L, 4L, 6L, 8L, 10L);
        assertThat(RunsTopicReader.find(kafka, topics.runs(), "twice").orElseThrow().status())
                .isEqualTo(RunStatus.FINISHED);
    }

    @Test
    void minibatchesDeletedByRetentionAreAnErrorNotAnEndlessWait() throws Exception {
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        produce(topics, "gone", 1);
        try (Admin admin = Admin.create(kafka.admin())) {
            admin.deleteRecords(Map.of(new TopicPartition(topics.minibatches(), 0), RecordsToDelete.beforeOffset(4)))
                    .all().get();
        }
        assertThatThrownBy(() -> new Trainer(kafka, settings("late", "gone", topics, 0, OptionalLong.of(0)),
                new RecordingListener()).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stream gone: offset 0 of " + topics.minibatches() + "-0 is no longer on the "
                        + "broker (the log now starts at 4)");
    }

    private ProducedStream produce(TopicNames topics, String stream, int epochs) {
        try (MinibatchProducer producer = new MinibatchProducer(kafka, topics, ProducerListener.NONE)) {
            return producer.produceTrainingStream(stream,
                    SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, SAMPLES, 1), BATCH, epochs,
                    sampling(stream), BATCH);
        }
    }

    /** Each stream shuffled with its own seed, every sample trained on, no validation split. */
    private static Sampling sampling(String stream) {
        return new Sampling(true, false, stream.hashCode(), 0);
    }

    private static TrainerSettings settings2(String run, String stream, TopicNames topics, double lr) {
        return new TrainerSettings(run, stream, TrainingRecipe.tutorial(lr), 42, 3, 0,
                OptionalLong.empty(), topics, 1);
    }

    private static TrainerSettings settings(String run, String stream, TopicNames topics, int snapshotEvery,
                                            OptionalLong from) {
        return new TrainerSettings(run, stream, TrainingRecipe.tutorial(0.05), 42, snapshotEvery, 0,
                from, topics, 1);
    }

    private List<WeightSnapshot> snapshots(TopicNames topics) {
        return TopicRecords.readAll(KAFKA.bootstrapServers(), topics.snapshots(), new StringDeserializer(),
                new WeightSnapshotDeserializer()).stream().map(ConsumerRecord::value).toList();
    }

    private long committedOffset(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(kafka.admin())) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(topic, 0)).offset();
        }
    }

    private int producerEpoch(String transactionalId) throws Exception {
        try (Admin admin = Admin.create(kafka.admin())) {
            return admin.describeTransactions(List.of(transactionalId)).all().get().get(transactionalId)
                    .producerEpoch();
        }
    }

    private static EpochLoss epochLoss(List<Double> losses, int from, int to) {
        EpochLoss loss = EpochLoss.NONE;
        for (double l : losses.subList(from, to)) {
            loss = loss.plus(l);
        }
        return loss;
    }

    private static double meanLoss(List<Double> losses) {
        return losses.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    static class RecordingListener implements TrainingListener {
        final List<Integer> epochsStarted = new ArrayList<>();
        final List<Double> losses = new ArrayList<>();
        final List<Double> accuracies = new ArrayList<>();

        @Override
        public void onEpochStart(int epoch) {
            epochsStarted.add(epoch);
        }

        @Override
        public void onBatch(int epoch, int batchIndex, double loss, double accuracy, int samplesInEpoch,
                            int datasetSize, long stepNanos) {
            losses.add(loss);
            accuracies.add(accuracy);
        }
    }
}
