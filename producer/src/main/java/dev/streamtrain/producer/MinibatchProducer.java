package dev.streamtrain.producer;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.kafka.Access;
import dev.streamtrain.contracts.kafka.ClusterAccessException;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.RecordKeys;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.contracts.topic.TopicReplication;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams a dataset into Kafka: the test set to the (compacted) test-set topic; a stream's
 * validation split (if it has one) to the same topic under the stream's key prefix; and
 * {@code epochs} passes over the training subset, as minibatches keyed by stream id, to the
 * minibatch topic. Uses an idempotent producer, so retries neither duplicate nor reorder a stream.
 */
public final class MinibatchProducer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MinibatchProducer.class);

    private final KafkaProducer<String, Minibatch> producer;
    private final KafkaSettings kafka;
    private final TopicNames topics;
    private final ProducerListener listener;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private KafkaClientMetrics metrics;

    /** Creates the pipeline's topics if they are missing (with the broker's default replication), then connects. */
    public MinibatchProducer(KafkaSettings kafka, TopicNames topics, ProducerListener listener) {
        this(kafka, topics, TopicReplication.BROKER_DEFAULTS, listener);
    }

    /** Creates the pipeline's topics if they are missing, with {@code replication}, then connects. */
    public MinibatchProducer(KafkaSettings kafka, TopicNames topics, TopicReplication replication,
                             ProducerListener listener) {
        TopicProvisioner.ensureTopics(kafka.admin(), topics, replication, access(topics));
        this.producer = new KafkaProducer<>(kafka.layered(ProducerSettings.defaults(), ProducerSettings.enforced()));
        this.kafka = kafka;
        this.topics = topics;
        this.listener = listener;
    }

    /** What the producer asks of the cluster: to write the minibatch and test-set topics (idempotently). */
    static Access access(TopicNames topics) {
        return Access.writing().on(topics.minibatches(), "WRITE").on(topics.testSet(), "WRITE");
    }

    /** Publishes the Kafka producer's own metrics (send rates, batch sizes, ...) to {@code registry}. */
    public MinibatchProducer bindTo(MeterRegistry registry) {
        metrics = new KafkaClientMetrics(producer, Tags.of("service", "producer"));
        metrics.bindTo(registry);
        return this;
    }

    /** Sends every batch of the test set; returns the number of batches. */
    public int produceTestSet(ImageDataset test, int batchSize) {
        MinibatchSlicer slicer = MinibatchSlicer.inOrder(test, batchSize);
        int[] order = EpochShuffler.identity(test.size());
        for (int b = 0; b < slicer.batchesPerEpoch(); b++) {
            Minibatch batch = slicer.batch(1, 1, b, order);
            send(topics.testSet(), RecordKeys.testBatch(test.name(), b), batch, null, null);
        }
        flush();
        log.info("produced test set of {}: {} samples in {} batches to {}", test.name(), test.size(),
                slicer.batchesPerEpoch(), topics.testSet());
        return slicer.batchesPerEpoch();
    }

    /**
     * Sends the stream {@code stream}: its validation split (if {@code sampling} has one) in batches of
     * {@code validationBatchSize} to the test-set topic, then {@code epochs} passes over its training
     * subset of {@code train} to the minibatch topic; blocks until acked.
     */
    public ProducedStream produceTrainingStream(String stream, ImageDataset train, int batchSize, int epochs,
                                                Sampling sampling, int validationBatchSize) {
        try {
            return produce(TrainingStream.finite(stream, train, batchSize, epochs, sampling, validationBatchSize),
                    Pacer.unpaced(), () -> false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted producing stream " + stream, e);
        }
    }

    /**
     * Sends {@code stream} as {@link #produceTrainingStream} does, its batches paced by {@code pacer}
     * and drifted as it says. An open stream goes on, pass after pass, until {@code stop} says so; a
     * finite one ends after its last pass or at a stop. Returns once what was sent is acked.
     */
    public ProducedStream produce(TrainingStream stream, Pacer pacer, BooleanSupplier stop)
            throws InterruptedException {
        StreamPlan plan = new StreamPlan(stream.train().size(), stream.sampling(), stream.batchSize());
        int validationBatches = produceValidationSet(stream.stream(), stream.train(), plan,
                stream.validationBatchSize());
        TrainingBatches batches = new TrainingBatches(stream, plan);
        AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        AtomicLong last = new AtomicLong(-1);
        AtomicLong bytes = new AtomicLong();
        long sent = 0;
        int epoch = 0;
        String key = RecordKeys.minibatch(stream.stream());
        sending:
        while (stream.isOpen() || epoch < stream.epochs()) {
            epoch++;
            for (int b = 0; b < batches.batchesPerEpoch(); b++) {
                if (sent == stream.drift().afterBatches()) {
                    log.info("stream {}: {} from batch {} on (epoch {} batch {})", stream.stream(), stream.drift(),
                            sent, epoch, b);
                }
                Minibatch batch = batches.batch(epoch, b, sent);
                if (!pacer.acquire(batch.sampleCount(), stop)) {
                    break sending;
                }
                send(topics.minibatches(), key, batch, first, last);
                bytes.addAndGet(batch.pixels().length + batch.labels().length);
                sent++;
            }
            log.debug("stream {}: epoch {} sent", stream.stream(), epoch);
        }
        flush();
        ProducedStream produced = new ProducedStream(stream.stream(), topics.minibatches(), first.get(), last.get(),
                Math.toIntExact(sent), bytes.get(), plan.trainSize(), stream.sampling().validationSize(),
                validationBatches);
        log.info("produced stream {}: {} batches ({} of {}) at offsets {}..{} of {}", stream.stream(), sent,
                stream.isOpen() ? "open, " + epoch + " passes begun" : stream.epochs() + " epochs",
                stream.train().name(), produced.firstOffset(), produced.lastOffset(), produced.topic());
        return produced;
    }

    private int produceValidationSet(String stream, ImageDataset train, StreamPlan plan, int batchSize) {
        if (!plan.sampling().hasValidation()) {
            return 0;
        }
        int[] order = plan.validationIndexes();
        MinibatchSlicer slicer = new MinibatchSlicer(train, Split.VALIDATION, order.length, batchSize,
                (order.length + batchSize - 1) / batchSize, plan.sampling());
        for (int b = 0; b < slicer.batchesPerEpoch(); b++) {
            send(topics.testSet(), RecordKeys.validationBatch(stream, b), slicer.batch(1, 1, b, order), null, null);
        }
        flush();
        log.info("stream {}: validation split of {} samples of {} in {} batches to {}", stream, order.length,
                train.name(), slicer.batchesPerEpoch(), topics.testSet());
        return slicer.batchesPerEpoch();
    }

    private void send(String topic, String key, Minibatch batch, AtomicLong first, AtomicLong last) {
        rethrowFailure();
        producer.send(new ProducerRecord<>(topic, key, batch), (RecordMetadata metadata, Exception e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
                return;
            }
            if (first != null) {
                first.accumulateAndGet(metadata.offset(), Math::min);
                last.accumulateAndGet(metadata.offset(), Math::max);
            }
            listener.onBatchAcked(topic, key, batch, metadata.serializedValueSize());
        });
    }

    private void flush() {
        producer.flush();
        rethrowFailure();
    }

    private void rethrowFailure() {
        Exception e = failure.get();
        if (e != null) {
            throw ClusterAccessException.explain(new KafkaException("producing minibatches failed: " + e.getMessage(),
                    e), kafka, access(topics));
        }
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
        producer.close();
    }
}
