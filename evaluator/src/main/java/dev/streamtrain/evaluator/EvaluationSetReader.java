package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.kafka.DeadLetters;
import dev.streamtrain.contracts.kafka.Access;
import dev.streamtrain.contracts.kafka.ClusterAccessException;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.kafka.Rejection;
import dev.streamtrain.contracts.topic.RecordKeys;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchDeserializer;
import dev.streamtrain.contracts.wire.Split;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads an evaluation set from the (compacted) test-set topic: a dataset's test set (keys
 * {@code <dataset>/<i>}) or a stream's validation split (keys {@code <stream>/validation/<i>}): the
 * newest record of each batch index, of the newest layout (batches per epoch, samples) written. A set
 * is complete when batches {@code 0..B-1} of that layout are all there and hold {@code datasetSize}
 * samples. Waits for the producer until the set is complete, or fails naming what is missing.
 * A record under one of the set's keys that does not decode, or holds another batch than its key
 * names, is skipped and dead-lettered like any poison record ({@link DeadLetters}): a later good
 * copy of that batch completes the set, and without one the failure counts the records skipped.
 */
public final class EvaluationSetReader implements EvaluationSets {

    private static final Logger log = LoggerFactory.getLogger(EvaluationSetReader.class);

    private final KafkaSettings kafka;
    private final String topic;
    private final Duration timeout;

    public EvaluationSetReader(KafkaSettings kafka, String topic, Duration timeout) {
        this.kafka = kafka;
        this.topic = topic;
        this.timeout = timeout;
    }

    /** The test set of {@code dataset}. */
    @Override
    public EvaluationSet test(String dataset) {
        return read(Split.TEST, RecordKeys.testSetPrefix(dataset), "test set of " + dataset,
                "produce it with 'streamtrain produce --dataset " + dataset + "'");
    }

    /** The validation split of stream {@code stream}. */
    @Override
    public EvaluationSet validation(String stream) {
        return read(Split.VALIDATION, RecordKeys.validationPrefix(stream), "validation split of stream " + stream,
                "the producer of stream " + stream + " writes it before the stream's first minibatch");
    }

    private EvaluationSet read(Split split, String prefix, String what, String hint) {
        try {
            return poll(split, prefix, what, hint);
        } catch (RuntimeException e) {
            throw ClusterAccessException.explain(e, kafka, Access.reading());
        }
    }

    private EvaluationSet poll(Split split, String prefix, String what, String hint) {
        Instant deadline = Instant.now().plus(timeout);
        MinibatchDeserializer decoder = new MinibatchDeserializer();
        Map<Integer, Minibatch> latest = new TreeMap<>();
        Minibatch newest = null;
        int skipped = 0;
        try (DeadLetters deadLetters = DeadLetters.of(kafka);
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.layered(Map.of(), Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName())))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // A set is judged only once everything written before the read began has been seen: an older,
            // complete layout must not be taken for the set while a newer one is still ahead in the log.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() == null || record.value() == null || !record.key().startsWith(prefix)
                            || !record.key().substring(prefix.length()).matches("\\d{1,10}")) {
                        continue;
                    }
                    Minibatch batch;
                    try {
                        batch = decoder.deserialize(record.topic(), record.value());
                    } catch (SerializationException e) {
                        reject(deadLetters, record, Rejection.UNDECODABLE, e);
                        skipped++;
                        continue;
                    }
                    if (batch.split() != split || !record.key().equals(prefix + batch.batchIndex())) {
                        reject(deadLetters, record, Rejection.KEY_MISMATCH, new IllegalStateException(where(record)
                                + " is keyed as batch " + record.key() + " of the " + what + " but holds " + batch));
                        skipped++;
                        continue;
                    }
                    latest.put(batch.batchIndex(), batch);
                    newest = batch;
                }
                boolean caughtUp = partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
                Optional<EvaluationSet> complete = caughtUp ? complete(split, prefix, latest, newest)
                        : Optional.empty();
                if (complete.isPresent()) {
                    log.info("{}: {} samples in {} batches", what, complete.get().size(),
                            complete.get().batches().size());
                    return complete.get();
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new EvaluationSetMissingException(what + " on topic " + topic + " is incomplete after "
                            + timeout.toSeconds() + " s: " + describe(latest, newest)
                            + (skipped == 0 ? "" : "; " + skipped + " record(s) under its keys were skipped as "
                            + "undecodable or keyed as another batch (copies in " + DeadLetters.TOPIC + ")")
                            + "; " + hint);
                }
            }
        }
    }

    private Optional<EvaluationSet> complete(Split split, String prefix, Map<Integer, Minibatch> latest,
                                             Minibatch newest) {
        if (newest == null) {
            return Optional.empty();
        }
        List<Minibatch> batches = new ArrayList<>();
        for (int i = 0; i < newest.batchesPerEpoch(); i++) {
            Minibatch batch = latest.get(i);
            if (batch == null || batch.batchesPerEpoch() != newest.batchesPerEpoch()
                    || batch.datasetSize() != newest.datasetSize()) {
                return Optional.empty();
            }
            batches.add(batch);
        }
        int samples = batches.stream().mapToInt(Minibatch::sampleCount).sum();
        return samples == newest.datasetSize() ? Optional.of(new EvaluationSet(split, topic, prefix, batches))
                : Optional.empty();
    }

    private static String describe(Map<Integer, Minibatch> latest, Minibatch newest) {
        if (newest == null) {
            return "no batches found";
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < newest.batchesPerEpoch() && missing.size() < 10; i++) {
            if (!latest.containsKey(i)) {
                missing.add(i);
            }
        }
        return latest.size() + " of " + newest.batchesPerEpoch() + " batches present; missing e.g. "
                + missing.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static void reject(DeadLetters deadLetters, ConsumerRecord<String, byte[]> record, Rejection reason,
                               Exception cause) {
        deadLetters.reject(new DeadLetters.Rejected(record.topic(), record.partition(), record.offset(),
                record.key().getBytes(StandardCharsets.UTF_8), record.value(), reason, cause));
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + " offset " + record.offset();
    }
}
