package dev.streamtrain.launcher;

import dev.streamtrain.broker.BrokerSecurity;
import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.broker.testing.TopicRecords;
import dev.streamtrain.contracts.dataset.FashionMnist;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.DeadLetters;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunStatus;
import dev.streamtrain.contracts.run.RunsTopicReader;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.TestMetricsDeserializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The pipeline on a broker with SASL/SCRAM and ACLs: {@code produce}, {@code train},
 * {@code evaluate}, {@code runs} and {@code report} as the users {@code producer}, {@code trainer},
 * {@code evaluator} and {@code reader}, each granted exactly the ACLs of the README's table, work;
 * a wrong password, or a user lacking one of those ACLs, fails within a bounded time with one
 * line naming the principal, the operation and the resource.
 */
class SecuredPipelineTest {

    private static final String ADMIN = "admin";
    private static final String STREAM = "secured";
    /** A failure must come in seconds; this bound only tells one from a hang (Kafka's own waits are 60 s and more). */
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** Users that lack one ACL of the README's table: name, whose ACLs, and the one left out. */
    private static final List<Lacking> LACKING = List.of(
            new Lacking("producer-without-testset-write", "User:producer",
                    b -> is(b, ResourceType.TOPIC, TopicNames.DEFAULT_TEST_SET, AclOperation.WRITE)),
            new Lacking("trainer-without-snapshot-write", "User:trainer",
                    b -> is(b, ResourceType.TOPIC, TopicNames.DEFAULT_SNAPSHOTS, AclOperation.WRITE)),
            new Lacking("trainer-without-transactional-id", "User:trainer",
                    b -> b.pattern().resourceType() == ResourceType.TRANSACTIONAL_ID),
            new Lacking("evaluator-without-group", "User:evaluator",
                    b -> b.pattern().resourceType() == ResourceType.GROUP));

    @TempDir
    static Path tmp;
    private static EmbeddedKafkaBroker broker;
    private static Path data;

    @BeforeAll
    static void startTheBrokerGrantTheReadmeAclsAndProduceAStream() throws Exception {
        Map<String, List<AclBinding>> readme = ReadmeAcls.read();
        assertThat(readme).containsOnlyKeys("User:producer", "User:trainer", "User:evaluator", "User:reader");
        List<AclBinding> grants = new ArrayList<>();
        readme.values().forEach(grants::addAll);
        Map<String, String> users = new HashMap<>(Map.of(ADMIN, "admin-secret"));
        readme.keySet().forEach(principal -> users.put(principal.substring("User:".length()),
                principal.substring("User:".length()) + "-secret"));
        for (Lacking user : LACKING) {
            users.put(user.name(), user.name() + "-secret");
            grants.addAll(ReadmeAcls.grantedTo("User:" + user.name(), readme.get(user.like()).stream()
                    .filter(user.lacks().negate()).toList()));
        }
        broker = EmbeddedKafkaBroker.builder(tmp.resolve("kafka"))
                .security(BrokerSecurity.scram(users, List.of(ADMIN))).build().start();
        try (Admin admin = Admin.create(broker.clientConfig(ADMIN))) {
            admin.createAcls(grants).all().get(30, TimeUnit.SECONDS);
        }
        data = SyntheticIdxDataset.write(tmp.resolve("data"), new FashionMnist(), 200, 50, 5);
        CommandRun produce = as("producer", "produce", "--run-id", STREAM, "--data", data.toString(),
                "--no-download", "--epochs", "2", "--batch-size", "50", "--test-batch-size", "50");
        assertThat(produce.exitCode()).as(produce.err()).isZero();
    }

    @AfterAll
    static void stopTheBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theServicesDoTheirWorkWithTheReadmeAclsAndNoMore() throws Exception {
        CompletableFuture<CommandRun> evaluate = CompletableFuture.supplyAsync(() -> as("evaluator", "evaluate",
                "--exit-after", "r1", "--state-dir", tmp.resolve("evaluator").toString(), "--test-set-timeout", "30"));
        // the evaluator creates the snapshot topic; a record it cannot decode goes to the dead letters, as the evaluator
        await().atMost(Duration.ofSeconds(60)).until(() -> topicExists(TopicNames.DEFAULT_SNAPSHOTS));
        String poisonSnapshot = sendAsAdmin(TopicNames.DEFAULT_SNAPSHOTS, "r1", new byte[] {1, 2, 3});

        CommandRun train = as("trainer", "train", "--run-id", "r1", "--stream", STREAM, "--lr", "0.05");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("Trained run r1: 2 epochs, 8 steps, 400 samples");
        CommandRun evaluated = evaluate.get(2, TimeUnit.MINUTES);
        assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
        assertThat(evaluated.out()).contains("Test Error: run r1, epoch 1, step 4", "Test Error: run r1, epoch 2, step 8");
        assertThat(TopicRecords.readAll(broker.clientConfig(ADMIN), TopicNames.DEFAULT_METRICS,
                new StringDeserializer(), new TestMetricsDeserializer())).extracting(ConsumerRecord::value)
                .extracting(TestMetrics::runId, TestMetrics::step).containsExactly(tuple("r1", 4L), tuple("r1", 8L));

        String poisonRun = sendAsAdmin(TopicNames.DEFAULT_RUNS, "ghost", new byte[] {4, 5, 6}); // as the reader
        CommandRun runs = as("reader", "runs");
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        assertThat(runs.out()).contains("r1").contains("FINISHED").doesNotContain("ghost");
        CommandRun report = as("reader", "report", "--run", "r1", "--out", tmp.resolve("curves.png").toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(TopicRecords.readAll(broker.clientConfig(ADMIN), DeadLetters.TOPIC, new StringDeserializer(),
                new ByteArrayDeserializer())).extracting(ConsumerRecord::key).contains(poisonSnapshot, poisonRun);
    }

    @Test
    void aWrongPasswordFailsAtOnceInOneLineNamingTheUser() throws Exception {
        Path wrong = Files.writeString(tmp.resolve("wrong.properties"), properties("trainer")
                .replace("password=\"trainer-secret\"", "password=\"guess\""));
        CommandRun run = assertTimeoutPreemptively(BOUND, () -> CommandRun.of("train", "--bootstrap-servers",
                broker.bootstrapServers(), "--kafka-config", wrong.toString(), "--run-id", "r-wrong", "--stream",
                STREAM, "--metrics-port", "-1"));
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).isEqualTo("error: authentication failed for User:trainer at " + broker.bootstrapServers()
                + " (SASL_PLAINTEXT, SCRAM-SHA-512): Authentication failed during authentication due to invalid "
                + "credentials with SASL mechanism SCRAM-SHA-512; check the user name and password in sasl.jaas.config "
                + "(--kafka-config)\n");
    }

    @Test
    void aProducerWithoutWriteOnTheTestSetTopicFailsNamingIt() {
        assertRefused(() -> as("producer-without-testset-write", "produce", "--run-id", "s2", "--data",
                        data.toString(), "--no-download", "--epochs", "1", "--batch-size", "50"),
                "User:producer-without-testset-write is not authorized to WRITE topic streamtrain.testset");
    }

    @Test
    void aTrainerWithoutWriteOnTheSnapshotTopicFailsAtItsFirstSnapshotNamingIt() {
        assertRefused(() -> as("trainer-without-snapshot-write", "train", "--run-id", "r-no-write", "--stream", STREAM),
                "User:trainer-without-snapshot-write is not authorized to WRITE topic streamtrain.snapshots");
        // its transaction was aborted: no snapshot; the run is recorded FAILED, to be resumed once granted
        RunRecord record = RunsTopicReader.find(new KafkaSettings(stringMap(broker.clientConfig(ADMIN))),
                TopicNames.DEFAULT_RUNS, "r-no-write").orElseThrow();
        assertThat(record.status()).isEqualTo(RunStatus.FAILED);
        assertThat(record.snapshots()).isZero();
        assertThat(record.message()).contains("is not authorized to WRITE topic streamtrain.snapshots");
    }

    private static Map<String, String> stringMap(Map<String, Object> config) {
        Map<String, String> strings = new HashMap<>();
        config.forEach((key, value) -> strings.put(key, String.valueOf(value)));
        return strings;
    }

    @Test
    void aTrainerWithoutItsTransactionalIdFailsAtOnceNamingIt() {
        assertRefused(() -> as("trainer-without-transactional-id", "train", "--run-id", "r-no-txn", "--stream",
                STREAM), "User:trainer-without-transactional-id is not authorized to WRITE transactional id "
                + "streamtrain-trainer-r-no-txn");
    }

    @Test
    void anEvaluatorWithoutItsGroupFailsAtOnceNamingIt() {
        assertRefused(() -> as("evaluator-without-group", "evaluate", "--state-dir",
                tmp.resolve("evaluator-without-group").toString()),
                "User:evaluator-without-group is not authorized to READ group streamtrain-evaluator");
    }

    private static void assertRefused(org.junit.jupiter.api.function.ThrowingSupplier<CommandRun> command,
                                      String message) {
        CommandRun run = assertTimeoutPreemptively(BOUND, command);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).isEqualTo("error: " + message + " (the ACLs each service needs: README, Security)\n");
    }

    /** {@code command} as {@code user}, with its client.properties, against the broker. */
    private static CommandRun as(String user, String command, String... args) {
        List<String> line = new ArrayList<>(List.of(command, "--bootstrap-servers", broker.bootstrapServers(),
                "--kafka-config", clientProperties(user).toString()));
        if (List.of("produce", "train", "evaluate").contains(command)) {
            line.addAll(List.of("--metrics-port", "-1"));
        }
        line.addAll(List.of(args));
        return CommandRun.of(line.toArray(String[]::new));
    }

    private static Path clientProperties(String user) {
        try {
            return Files.writeString(tmp.resolve(user + ".properties"), properties(user));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What the README's client.properties holds, for {@code user}. */
    private static String properties(String user) {
        StringBuilder text = new StringBuilder();
        broker.security().orElseThrow().clientConfig(user).forEach((key, value) -> text.append(key).append('=')
                .append(value.replace("\\", "\\\\")).append('\n'));
        return text.toString();
    }

    private static boolean topicExists(String topic) throws Exception {
        try (Admin admin = Admin.create(broker.clientConfig(ADMIN))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic);
        }
    }

    /** Sends a record as the super user; returns where it is, as its dead-letter copy is keyed. */
    private static String sendAsAdmin(String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.clientConfig(ADMIN),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                    value)).get(30, TimeUnit.SECONDS);
            return sent.topic() + "-" + sent.partition() + "@" + sent.offset();
        }
    }

    private static boolean is(AclBinding binding, ResourceType type, String name, AclOperation operation) {
        return binding.pattern().resourceType() == type && binding.pattern().name().equals(name)
                && binding.entry().operation() == operation;
    }

    private record Lacking(String name, String like, Predicate<AclBinding> lacks) {
    }
}
