package dev.streamtrain.launcher;

import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.DeadLetters;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunStatus;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.topic.TopicConfigs;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicReplication;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import dev.streamtrain.evaluator.EvaluatorSettings;
import dev.streamtrain.model.Engines;
import dev.streamtrain.trainer.Trainer;
import dev.streamtrain.trainer.TrainerSettings;
import dev.streamtrain.trainer.TrainingListener;
import dev.streamtrain.trainer.TrainingResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline on a replicated cluster: three brokers (and a KRaft controller) of Kafka's own
 * {@link KafkaClusterTestKit}, every topic created with {@code --replication-factor 3
 * --min-insync-replicas 2}. The broker leading the run's snapshot partition is shut down while the
 * trainer is mid-run, between its first and second committed snapshot, and stays down: the run
 * completes on the two brokers left, the evaluator gives exactly one metrics record per snapshot,
 * and every snapshot, the last one included, is bit-identical to an uninterrupted run's.
 */
class ReplicatedClusterFailoverTest {

    private static final int BROKERS = 3;
    private static final TopicReplication REPLICATED = TopicReplication.of(3, 2);
    private static final TopicNames TOPICS = TopicNames.DEFAULT;
    private static final String STREAM = "replicated";
    private static final String REFERENCE = "uninterrupted";
    private static final String RUN = "failover";
    private static final int EPOCHS = 3;
    private static final int BATCH = 40;
    private static final int SAMPLES = 600; // 15 batches per epoch, 45 steps
    private static final int SNAPSHOT_EVERY = 5; // 9 snapshots: at steps 5, 10, ..., 45
    private static final int SNAPSHOTS = 9;

    @TempDir
    Path tmp;

    @Test
    void aBrokerStoppedMidRunLosesNothingAndRepeatsNothing() throws Exception {
        try (KafkaClusterTestKit cluster = startCluster()) {
            String bootstrap = cluster.bootstrapServers();
            KafkaSettings kafka = KafkaSettings.of(bootstrap);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                CommandRun produce = CommandRun.of("produce", "--bootstrap-servers", bootstrap, "--data",
                        SyntheticIdxDataset.write(tmp.resolve("data"), SAMPLES, 150, 5).toString(), "--no-download",
                        "--stream", STREAM, "--epochs", String.valueOf(EPOCHS), "--batch-size", String.valueOf(BATCH),
                        "--test-batch-size", "75", "--metrics-port", "-1", "--replication-factor", "3",
                        "--min-insync-replicas", "2");
                assertThat(produce.exitCode()).as(produce.err()).isZero();
                assertReplicated(admin, List.of(TOPICS.minibatches(), TOPICS.testSet(), TOPICS.snapshots(),
                        TOPICS.metrics(), TOPICS.runs(), DeadLetters.TOPIC));

                TrainingResult uninterrupted = new Trainer(kafka, settings(REFERENCE), TrainingListener.NONE).run();
                assertThat(uninterrupted.snapshots()).isEqualTo(SNAPSHOTS);

                CompletableFuture<CommandRun> evaluate = CompletableFuture.supplyAsync(() -> CommandRun.of(
                        "evaluate", "--bootstrap-servers", bootstrap, "--state-dir", tmp.resolve("evaluator")
                                .toString(), "--exit-after", RUN, "--metrics-port", "-1", "--replication-factor",
                        "3", "--min-insync-replicas", "2"));

                // The trainer waits after its first committed snapshot until the broker is down.
                CountDownLatch firstSnapshot = new CountDownLatch(1);
                CountDownLatch brokerDown = new CountDownLatch(1);
                AtomicInteger snapshotsAfterTheStop = new AtomicInteger();
                TrainingListener gate = new TrainingListener() {
                    @Override
                    public void onSnapshot(WeightSnapshot snapshot) {
                        if (firstSnapshot.getCount() > 0) {
                            firstSnapshot.countDown();
                            waitFor(brokerDown);
                        } else {
                            snapshotsAfterTheStop.incrementAndGet();
                        }
                    }
                };
                CompletableFuture<TrainingResult> training = CompletableFuture.supplyAsync(
                        () -> new Trainer(kafka, settings(RUN), gate).run());
                assertThat(firstSnapshot.await(60, TimeUnit.SECONDS)).as("first snapshot committed").isTrue();

                RunRecord atTheStop = RunsTopicReader.find(kafka, TOPICS.runs(), RUN).orElseThrow();
                assertThat(atTheStop.status()).isEqualTo(RunStatus.RUNNING);
                assertThat(atTheStop.snapshots()).as("snapshots committed when the broker stops").isEqualTo(1);
                TopicPartition snapshots = new TopicPartition(TOPICS.snapshots(), Utils.toPositive(
                        Utils.murmur2(RUN.getBytes(StandardCharsets.UTF_8))) % TopicConfigs.RUN_PARTITIONS);
                assertThat(snapshots.partition()).as("the run's snapshot partition")
                        .isEqualTo(atTheStop.snapshotPartition());
                int leader = partition(admin, snapshots).leader().id();
                int minibatchLeader = partition(admin, new TopicPartition(TOPICS.minibatches(), 0)).leader().id();
                long stopping = System.nanoTime();
                cluster.brokers().get(leader).shutdown();
                System.out.printf("stopped broker %d, the leader of %s (minibatches' leader: %d), in %.1f s%n",
                        leader, snapshots, minibatchLeader, (System.nanoTime() - stopping) / 1e9);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    TopicPartitionInfo now = partition(admin, snapshots);
                    assertThat(now.leader()).as("a new leader").isNotNull();
                    assertThat(now.leader().id()).isNotEqualTo(leader);
                    assertThat(now.isr()).extracting(Node::id).doesNotContain(leader).hasSize(BROKERS - 1);
                });
                assertThat(training).as("the run was still in progress when its leader stopped").isNotDone();
                brokerDown.countDown();

                TrainingResult failedOver = training.get(120, TimeUnit.SECONDS);
                CommandRun evaluated = evaluate.get(120, TimeUnit.SECONDS);
                assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
                assertThat(evaluated.out()).contains("Test Error: run " + RUN + ", epoch 3, step 45");
                assertThat(cluster.brokers().get(leader).isShutdown()).as("still down at the end").isTrue();

                assertThat(failedOver.steps()).isEqualTo(EPOCHS * SAMPLES / BATCH);
                assertThat(failedOver.snapshots()).isEqualTo(SNAPSHOTS);
                assertThat(snapshotsAfterTheStop).as("snapshots committed with the broker down")
                        .hasValue(SNAPSHOTS - 1);
                List<WeightSnapshot> reference = snapshotsOf(bootstrap, REFERENCE);
                List<WeightSnapshot> run = snapshotsOf(bootstrap, RUN);
                assertThat(run).extracting(WeightSnapshot::step).containsExactly(5L, 10L, 15L, 20L, 25L, 30L, 35L,
                        40L, 45L);
                assertThat(run).extracting(WeightSnapshot::parametersSha256)
                        .containsExactlyElementsOf(reference.stream().map(WeightSnapshot::parametersSha256).toList());
                assertThat(failedOver.finalSha256()).isEqualTo(uninterrupted.finalSha256());

                List<TestMetrics> metrics = TopicRecords.readAll(bootstrap, TOPICS.metrics(), new StringDeserializer(),
                        new TestMetricsDeserializer()).stream().map(ConsumerRecord::value)
                        .filter(m -> m.runId().equals(RUN)).toList();
                assertThat(metrics).as("exactly one metrics record per snapshot")
                        .extracting(TestMetrics::snapshotSha256).containsExactlyElementsOf(run.stream().map(WeightSnapshot::parametersSha256).toList());

                // Kafka Streams' own topic, created by the evaluator, is replicated as the pipeline's
                assertReplicated(admin, List.of(EvaluatorSettings.DEFAULT_APPLICATION_ID
                        + "-best-snapshot-per-run-changelog"));
            }
        }
    }

    /**
     * Three brokers and one controller. Kafka's own internal topics get 3 replicas and min.insync.replicas
     * 2 from the brokers' defaults; the pipeline's topics must get theirs from the options, so Kafka's
     * {@code default.replication.factor}, 1, is left as it is.
     */
    private KafkaClusterTestKit startCluster() throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(false)
                .setNumBrokerNodes(BROKERS)
                .setNumControllerNodes(1)
                .setBaseDirectory(tmp.resolve("cluster"))
                .build())
                .setConfigProp("offsets.topic.replication.factor", "3") // __consumer_offsets
                .setConfigProp("transaction.state.log.replication.factor", "3") // __transaction_state
                .setConfigProp("transaction.state.log.min.isr", "2")
                .setConfigProp("min.insync.replicas", "2") // __consumer_offsets takes the broker default
                .setConfigProp("group.initial.rebalance.delay.ms", "0") // no 3 s wait for the first assignment
                .setConfigProp("auto.create.topics.enable", "false") // every topic is made by a service
                // snapshots are large records, as on the embedded broker
                .setConfigProp("message.max.bytes", String.valueOf(TopicConfigs.MAX_SNAPSHOT_BYTES))
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private static TrainerSettings settings(String runId) {
        return new TrainerSettings(runId, STREAM, TrainingRecipe.tutorial(0.05), 42, SNAPSHOT_EVERY, 0,
                OptionalLong.empty(), TOPICS, 1, Engines.AUTO, null, REPLICATED);
    }

    /** Every partition of each topic on 3 brokers, and min.insync.replicas 2 set on the topic itself. */
    private static void assertReplicated(Admin admin, List<String> topics) throws Exception {
        Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames().get();
        assertThat(descriptions.keySet()).containsExactlyInAnyOrderElementsOf(topics);
        descriptions.values().forEach(d -> assertThat(d.partitions()).as(d.name())
                .allSatisfy(p -> assertThat(p.replicas()).hasSize(3)));
        List<ConfigResource> resources = new ArrayList<>();
        topics.forEach(t -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t)));
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
        configs.forEach((resource, config) -> {
            ConfigEntry minIsr = config.get("min.insync.replicas");
            assertThat(minIsr.value()).as(resource.name()).isEqualTo("2");
            assertThat(minIsr.source()).as(resource.name() + ": set on the topic, not the broker's default")
                    .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        });
    }

    private static TopicPartitionInfo partition(Admin admin, TopicPartition partition)
            throws ExecutionException, InterruptedException {
        return admin.describeTopics(List.of(partition.topic())).allTopicNames().get().get(partition.topic())
                .partitions().get(partition.partition());
    }

    private static List<WeightSnapshot> snapshotsOf(String bootstrap, String runId) {
        return TopicRecords.readAll(bootstrap, TOPICS.snapshots(), new StringDeserializer(),
                new WeightSnapshotDeserializer()).stream().map(ConsumerRecord::value)
                .filter(s -> s.runId().equals(runId)).toList();
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the broker was not stopped within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
