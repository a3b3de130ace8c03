package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.kafka.Access;
import dev.streamtrain.contracts.kafka.ClusterAccessException;
import dev.streamtrain.contracts.kafka.ConnectionWatch;
import dev.streamtrain.contracts.kafka.DeadLetters;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicConfigs;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.model.Engines;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/** Runs the evaluator topology as a Kafka Streams application until closed. */
public final class EvaluatorService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EvaluatorService.class);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final CompletableFuture<Void> failed = new CompletableFuture<>();
    private final KafkaSettings kafka;
    private ConnectionWatch watch;

    public EvaluatorService(KafkaSettings kafka, EvaluatorSettings settings, EvaluationListener listener) {
        this(kafka, settings, listener, new CompositeMeterRegistry());
    }

    /** An evaluator whose meters ({@link EvaluatorMetrics}, evaluation time) go to {@code registry}. */
    public EvaluatorService(KafkaSettings kafka, EvaluatorSettings settings, EvaluationListener listener,
                            MeterRegistry registry) {
        this.kafka = kafka;
        Access access = access(settings);
        TopicProvisioner.ensureTopics(kafka.admin(), settings.topics(), settings.replication(), access);
        SnapshotEvaluator evaluator = new SnapshotEvaluator(
                new EvaluationSetReader(kafka, settings.topics().testSet(), settings.testSetTimeout()), registry);
        EvaluatorMetrics metrics = new EvaluatorMetrics(registry);
        EvaluationListener told = listener;
        listener = m -> {
            metrics.onEvaluated(m);
            told.onEvaluated(m);
        };
        Properties properties = new Properties();
        properties.putAll(streamsConfig(kafka, settings));
        // The builder gets the application's config too (a bare StreamsBuilder() makes a default one).
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(properties)));
        EvaluatorTopology.build(builder, settings.topics(), evaluator, listener);
        this.streams = new KafkaStreams(builder.build(), properties);
        // Streams' and its clients' metrics, consumer lag (records-lag-max) among them.
        this.streamsMetrics = new KafkaStreamsMetrics(streams, Tags.of("service", "evaluator"));
        streamsMetrics.bindTo(registry);
        this.streams.setUncaughtExceptionHandler(e -> {
            Optional<ClusterAccessException> refused = ClusterAccessException.of(e, kafka.userConfig(), access);
            if (EvaluationSetMissingException.in(e).isPresent() || refused.isPresent()) {
                log.debug("evaluator stopped for missing evaluation data or access", e); // the command says why
            } else {
                log.error("evaluator failed: {}", e.getMessage(), e);
            }
            failed.completeExceptionally(refused.isPresent() ? refused.get() : e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .SHUTDOWN_CLIENT;
        });
        // Math threads of every engine on the class path (snapshots of any run, on any engine, may come).
        Engines.setMathThreads(Engines.AUTO, settings.mathThreads());
    }

    /**
     * What the evaluator asks of the cluster, to name what a refusal is about: it reads snapshots and
     * test sets, writes metrics and dead letters, keeps its store's changelog, and writes with the
     * transactional ids Kafka Streams makes from its application id.
     */
    static Access access(EvaluatorSettings settings) {
        return Access.reading()
                .on(settings.topics().snapshots(), "READ")
                .on(settings.topics().testSet(), "READ")
                .on(settings.topics().metrics(), "WRITE")
                .on(DeadLetters.TOPIC, "WRITE")
                .on(EvaluatorTopology.bestSnapshotChangelog(settings.applicationId()), "CREATE, READ and WRITE")
                .withTransactionalIds("the transactional ids with prefix " + settings.applicationId() + "-");
    }

    static Map<String, Object> streamsConfig(KafkaSettings kafka, EvaluatorSettings settings) {
        Map<String, Object> enforced = ExactlyOnceStreams.enforced(settings.applicationId(), settings.stateDir(),
                settings.replication());
        return kafka.layered(
                Map.of(
                        // One evaluation takes ~1 s; fetch few snapshots per poll to stay within max.poll.interval.
                        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 4,
                        StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest",
                        // A killed instance leaves the group after 10 s (Kafka's default: 45 s), so a restart
                        // or a surviving instance takes over its runs sooner.
                        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000,
                        StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 3_000,
                        // Snapshots are megabytes each; let one fetch carry several.
                        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
                        64 * 1024 * 1024,
                        // A dead-letter copy of a snapshot record is as large as the snapshot.
                        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                        TopicConfigs.MAX_SNAPSHOT_BYTES + 1024 * 1024,
                        // Opt in now to what becomes Kafka 5.0's default (and silences its warning).
                        "processing.exception.handler.global.enabled", true),
                enforced);
    }

    public void start() {
        streams.start();
        watch = ConnectionWatch.start("evaluator", kafka, streams::metrics, ConnectionWatch.DEFAULT_INTERVAL);
    }

    /** Completes exceptionally if the Streams application fails. */
    public CompletableFuture<Void> failure() {
        return failed;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        streamsMetrics.close();
        streams.close(Duration.ofSeconds(30));
    }
}
