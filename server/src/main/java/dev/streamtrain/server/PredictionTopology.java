package dev.streamtrain.server;

import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.PredictTopics;
import dev.streamtrain.contracts.topic.TopicConfigs;
import dev.streamtrain.contracts.wire.RecordFormatException;
import dev.streamtrain.evaluator.DeadLetteringHandler;
import dev.streamtrain.evaluator.ExactlyOnceStreams;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.List;
import java.util.Map;

/**
 * The Kafka path of {@code streamtrain serve}: prediction requests in, one prediction record out per
 * request, keyed like the request (by its id). Run with {@code exactly_once_v2}, a request's answer
 * and its consumed offset commit together, so a server killed at any moment and restarted with the
 * same application id answers every request once: none lost, none twice, on the predictions topic
 * read read_committed. A request that does not decode, or whose samples do not fit the served run, is
 * skipped and dead-lettered within the same transaction ({@link DeadLetteringHandler}). Built by this
 * one method for the service and its tests alike; its configuration is {@link #streamsConfig}.
 */
public final class PredictionTopology {

    public static final Serde<PredictRequest> REQUEST_SERDE =
            Serdes.serdeFrom(new PredictRequestSerializer(), new PredictRequestDeserializer());
    public static final Serde<PredictResponse> RESPONSE_SERDE =
            Serdes.serdeFrom(new PredictResponseSerializer(), new PredictResponseDeserializer());

    private PredictionTopology() {
    }

    /** Requests on {@code topics.requests()} answered on {@code topics.predictions()} by the model {@code slot} serves. */
    public static void build(StreamsBuilder builder, PredictTopics topics, ModelSlot slot, ServingMetrics metrics) {
        builder.stream(topics.requests(), Consumed.with(Serdes.String(), REQUEST_SERDE))
                .process(() -> new Answerer(slot, metrics))
                .to(topics.predictions(), Produced.with(Serdes.String(), RESPONSE_SERDE));
    }

    /**
     * The application's configuration: {@code settings}' application id and state dir, exactly once, dead
     * letters for requests it cannot answer; the user's Kafka configs over the defaults below, and the settings
     * correctness depends on over them.
     */
    public static Map<String, Object> streamsConfig(KafkaSettings kafka, ServeSettings settings) {
        Map<String, Object> enforced = ExactlyOnceStreams.enforced(settings.applicationId(), settings.stateDir(),
                settings.replication());
        return kafka.layered(
                Map.of(
                        // Requests written before the server first started are answered too.
                        StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest",
                        // A killed instance leaves the group after 10 s (Kafka's default: 45 s), so a restart
                        // or a surviving instance takes over its partitions sooner.
                        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000,
                        StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 3_000,
                        // An answer, or a dead-letter copy of a request, is as large as the topics allow.
                        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                        TopicConfigs.MAX_PREDICT_BYTES + 1024 * 1024,
                        // Answers are small and come in bursts: batch them for a few ms rather than one by one.
                        StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5,
                        // Each commit (a transaction) waits on the broker for tens of ms; a second thread
                        // answers meanwhile (measured: 8,200 -> 10,400 predictions/s on 2 cores).
                        StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2,
                        // Opt in now to what becomes Kafka 5.0's default (and silences its warning).
                        "processing.exception.handler.global.enabled", true),
                enforced);
    }

    /** Answers each request with the model served when it is processed; one per stream task, with its own network. */
    static final class Answerer implements Processor<String, PredictRequest, String, PredictResponse> {

        private final ModelSlot slot;
        private final ServingMetrics metrics;
        private final Predictor predictor = new Predictor();
        private ProcessorContext<String, PredictResponse> context;

        Answerer(ModelSlot slot, ServingMetrics metrics) {
            this.slot = slot;
            this.metrics = metrics;
        }

        @Override
        public void init(ProcessorContext<String, PredictResponse> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, PredictRequest> record) {
            long started = System.nanoTime();
            PredictRequest request = record.value();
            if (request == null) {
                throw new RecordFormatException(PredictRequestDeserializer.FORMAT + ": no value (a tombstone)");
            }
            ServedModel model = slot.current().orElseThrow(() ->
                    new IllegalStateException("a request came before a snapshot was served"));
            String id = request.id() != null ? request.id() : record.key() != null ? record.key()
                    : context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                    .orElse(null);
            List<Prediction> predictions = predictor.predict(model, request.samples());
            context.forward(record.withKey(record.key() != null ? record.key() : id).withValue(
                    new PredictResponse(id, model.runId(), model.policy(), model.ref(), predictions)));
            metrics.answered(ServingMetrics.Path.KAFKA, predictions.size(), System.nanoTime() - started);
        }
    }
}
