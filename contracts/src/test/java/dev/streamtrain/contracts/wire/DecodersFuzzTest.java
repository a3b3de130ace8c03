package dev.streamtrain.contracts.wire;

import dev.streamtrain.contracts.fuzz.ByteMutations;
import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.run.RunSpecFixture;
import dev.streamtrain.contracts.run.RunStatus;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every decoder of a topic's records (binary and JSON) against random bytes and against its own
 * valid record with bytes flipped, inserted, deleted and cut off: whatever the bytes, it returns
 * a record or throws {@link RecordFormatException}, never anything else (an index out of bounds,
 * an out-of-memory error from a length it believed): 25,000 seeded tries per decoder, 100,000 in
 * all, each failure reported with its bytes.
 */
class DecodersFuzzTest {

    private static final int TRIES = 25_000;
    /** Fixed: a failure names the try and the bytes, and reruns the same. */
    private static final long SEED = 0x5EED_F022L;

    private static final Map<String, Deserializer<?>> DECODERS = Map.of(
            "minibatch", new MinibatchDeserializer(),
            "snapshot", new WeightSnapshotDeserializer(),
            "run", new RunRecordDeserializer(),
            "metrics", new TestMetricsDeserializer());

    private static final Map<String, Supplier<byte[]>> VALID = Map.of(
            "minibatch", () -> new MinibatchSerializer().serialize("t", Minibatches.small()),
            "snapshot", () -> new WeightSnapshotSerializer().serialize("t", Snapshots.basic()),
            "run", () -> new RunRecordSerializer().serialize("t", RunRecord.started(RunSpecFixture.spec(), "m", 0, 1)
                    .withSnapshot(RunStatus.FINISHED, 10, 9, 640, 1, 0, "ab".repeat(32), 2)),
            "metrics", () -> new TestMetricsSerializer().serialize("t", new TestMetrics("run-1", "fashion-mnist",
                    "tutorial-mlp", 5, 4690, 300_000, true, true, 0.75, 0.6875, 4, "ab".repeat(32), 1L, 2L, 0.56,
                    0.8125, TestMetricsSerdeTest.TEST, TestMetricsSerdeTest.VALIDATION)));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"minibatch", "snapshot", "run", "metrics"})
    void aDecoderOnlyEverThrowsTheFormatException(String kind) {
        Deserializer<?> decoder = DECODERS.get(kind);
        byte[] valid = VALID.get(kind).get();
        assertThat(decoder.deserialize("t", valid)).as("the unmutated record decodes").isNotNull();
        SplittableRandom random = new SplittableRandom(SEED ^ kind.hashCode());
        int rejected = 0;
        for (int i = 0; i < TRIES; i++) {
            byte[] bytes = random.nextInt(4) == 0 ? ByteMutations.randomBytes(random, 512)
                    : ByteMutations.mutate(valid, random);
            try {
                decoder.deserialize("t", bytes);
            } catch (RecordFormatException e) {
                rejected++;
                assertThat(e.getMessage()).as("names the format").isNotBlank();
            } catch (Throwable e) {
                throw new AssertionError(kind + " decoder threw " + e + " on try " + i + " (seed " + SEED
                        + "), bytes " + HexFormat.of().formatHex(bytes), e);
            }
        }
        assertThat(rejected).as("most inputs are bad ones").isGreaterThan(TRIES / 2);
    }
}
