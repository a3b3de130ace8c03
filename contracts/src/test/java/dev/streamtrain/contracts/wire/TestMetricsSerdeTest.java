package dev.streamtrain.contracts.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestMetricsSerdeTest {

    private static final String SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private final TestMetricsSerializer serializer = new TestMetricsSerializer();
    private final TestMetricsDeserializer deserializer = new TestMetricsDeserializer();

    private static TestMetrics metrics(double accuracy, double avgLoss) {
        return new TestMetrics("run-1", "fashion-mnist", "tutorial-mlp", 5, 4690, 300_000, true, true, accuracy,
                avgLoss, 10_000, SHA, 1_700_000_000_000L, 1_700_000_000_500L, 0.5613419);
    }

    /** 3 classes, 4 test samples in 2 batches of 2: classes 0 and 2 right, one of class 1 taken for 2. */
    static final EvaluationResult TEST = new EvaluationResult("test", "streamtrain.testset", "fashion-mnist/", 2, 2, 4,
            0.75, 0.6875, new long[][] {{1, 0, 0}, {0, 1, 1}, {0, 0, 1}});

    /** The validation split of stream-1: class 2 has no sample in it, so its class accuracy is NaN. */
    static final EvaluationResult VALIDATION = new EvaluationResult("validation", "streamtrain.testset",
            "stream-1/validation/", 2, 2, 3, 2 / 3.0, 0.8125, new long[][] {{2, 0, 0}, {1, 0, 0}, {0, 0, 0}});

    private static TestMetrics withSets(EvaluationResult test, EvaluationResult validation) {
        return new TestMetrics("run-1", "fashion-mnist", "tutorial-mlp", 5, 4690, 300_000, true, true, 0.75, 0.6875,
                4, SHA, 1_700_000_000_000L, 1_700_000_000_500L, 0.5613419, 0.8125, test, validation);
    }

    static Stream<Arguments> metrics() {
        return Stream.of(
                Arguments.of("tutorial result", metrics(0.6473, 1.0913)),
                Arguments.of("accuracy 0", metrics(0.0, 2.302585092994046)),
                Arguments.of("accuracy 1", metrics(1.0, 0.0)),
                Arguments.of("diverged: NaN loss", metrics(0.1, Double.NaN)),
                Arguments.of("diverged: infinite loss", metrics(0.1, Double.POSITIVE_INFINITY)),
                Arguments.of("negative zero loss", metrics(0.5, -0.0)),
                Arguments.of("smallest loss", metrics(0.5, Double.MIN_VALUE)),
                Arguments.of("unicode names", new TestMetrics("run-ü", "fäshion-мнист-数据", "mlp-😀", 1, 0, 0, false,
                        false, 0.25, 1.5, 1, SHA, Long.MIN_VALUE, Long.MAX_VALUE, Double.NaN)),
                Arguments.of("train loss unknown", metrics(0.6473, 1.0913).withTrainLoss(Double.NaN)),
                Arguments.of("train loss exactly 0", metrics(0.6473, 1.0913).withTrainLoss(0.0)),
                Arguments.of("train accuracy exactly 0", metrics(0.6473, 1.0913).withTrainAccuracy(0.0)),
                Arguments.of("train accuracy 1", metrics(0.6473, 1.0913).withTrainAccuracy(1.0)),
                Arguments.of("test and validation sets", withSets(TEST, VALIDATION)),
                Arguments.of("test set only", withSets(TEST, null)),
                Arguments.of("train accuracy unknown, both sets", withSets(TEST, VALIDATION)
                        .withTrainAccuracy(Double.NaN)),
                Arguments.of("diverged validation loss", withSets(TEST, new EvaluationResult("validation", "t",
                        "s/validation/", 1, 1, 1, 0, Double.NaN, new long[][] {{0, 1}, {0, 0}}))),
                Arguments.of("no classes counted", withSets(new EvaluationResult("test", "t", "d/", 1, 1, 1, 1, 0,
                        new long[0][]), null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("metrics")
    void roundTrips(String name, TestMetrics m) {
        TestMetrics back = deserializer.deserialize("t", serializer.serialize("t", m));
        assertThat(back).isEqualTo(m);
        assertThat(Double.doubleToRawLongBits(back.avgLoss())).isEqualTo(Double.doubleToRawLongBits(m.avgLoss()));
        assertThat(Double.doubleToRawLongBits(back.accuracy())).isEqualTo(Double.doubleToRawLongBits(m.accuracy()));
        assertThat(Double.doubleToRawLongBits(back.trainLoss())).isEqualTo(Double.doubleToRawLongBits(m.trainLoss()));
        assertThat(Double.doubleToRawLongBits(back.trainAccuracy()))
                .isEqualTo(Double.doubleToRawLongBits(m.trainAccuracy()));
        assertThat(back.test()).isEqualTo(m.test());
        assertThat(back.validation()).isEqualTo(m.validation());
        assertThat(back.hasValidation()).isEqualTo(m.validation() != null);
    }

    @Test
    void aRecordWrittenBeforeTrainAccuracyAndNamedSetsReadsWithNullsAndNaN() throws Exception {
        ObjectNode json = (ObjectNode) PLAIN.readTree(serializer.serialize("t", withSets(TEST, VALIDATION)));
        json.remove(List.of("trainAccuracy", "test", "validation"));
        TestMetrics old = deserializer.deserialize("t", PLAIN.writeValueAsBytes(json));
        assertThat(old.trainAccuracy()).isNaN();
        assertThat(old.test()).isNull();
        assertThat(old.validation()).isNull();
        assertThat(old.hasValidation()).isFalse();
        assertThat(old.accuracy()).isEqualTo(0.75);
        assertThat(old.trainLoss()).isEqualTo(0.5613419);
        json.putNull("trainAccuracy");
        json.putNull("test");
        json.putNull("validation");
        assertThat(deserializer.deserialize("t", PLAIN.writeValueAsBytes(json)))
                .isEqualTo(withSets(null, null).withTrainAccuracy(Double.NaN));
    }

    @Test
    void eachSetIsNamedWithItsConfusionMatrixAndClassAccuracy() throws Exception {
        JsonNode json = PLAIN.readTree(serializer.serialize("t", withSets(TEST, VALIDATION)));
        assertThat(json.get("trainAccuracy").asDouble()).isEqualTo(0.8125);
        JsonNode test = json.get("test");
        List<String> names = new ArrayList<>();
        test.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("split", "topic", "key", "batchSize", "batches", "samples", "accuracy",
                "avgLoss", "confusion", "classAccuracy");
        assertThat(test.get("split").asText()).isEqualTo("test");
        assertThat(test.get("key").asText()).isEqualTo("fashion-mnist/");
        assertThat(test.get("confusion").toString()).isEqualTo("[[1,0,0],[0,1,1],[0,0,1]]");
        assertThat(test.get("classAccuracy").toString()).isEqualTo("[1.0,0.5,1.0]");
        JsonNode validation = json.get("validation");
        assertThat(validation.get("split").asText()).isEqualTo("validation");
        assertThat(validation.get("key").asText()).isEqualTo("stream-1/validation/");
        assertThat(validation.get("classAccuracy").toString()).isEqualTo("[1.0,0.0,\"NaN\"]");
    }

    @Test
    void classAccuracyIsDerivedFromTheConfusionMatrixNotRead() throws Exception {
        ObjectNode json = (ObjectNode) PLAIN.readTree(serializer.serialize("t", withSets(TEST, VALIDATION)));
        ((ObjectNode) json.get("test")).putArray("classAccuracy").add(0.0).add(0.0).add(0.0);
        ((ObjectNode) json.get("validation")).remove("classAccuracy");
        TestMetrics read = deserializer.deserialize("t", PLAIN.writeValueAsBytes(json));
        assertThat(read).isEqualTo(withSets(TEST, VALIDATION));
        assertThat(read.test().classAccuracy()).containsExactly(1.0, 0.5, 1.0);
        assertThat(read.validation().classAccuracy()).containsExactly(1.0, 0.0, Double.NaN);
    }

    @Test
    void rejectsAnInconsistentSet() throws Exception {
        ObjectNode json = (ObjectNode) PLAIN.readTree(serializer.serialize("t", withSets(TEST, VALIDATION)));
        ((ObjectNode) json.get("validation")).put("samples", 4);
        assertThatThrownBy(() -> deserializer.deserialize("t", PLAIN.writeValueAsBytes(json)))
                .isInstanceOf(SerializationException.class)
                .hasMessage("metrics record: not a valid metrics JSON object: confusion counts 3 samples, the "
                        + "evaluation 4");
    }

    @Test
    void validatesAnEvaluation() {
        long[][] two = {{1, 0}, {0, 1}};
        assertThatIllegalArgumentException().isThrownBy(() -> new EvaluationResult("test", "t", "d/", 1, 2, 2, 1.5, 0,
                two)).withMessage("accuracy must be in [0, 1], got 1.5");
        assertThatIllegalArgumentException().isThrownBy(() -> new EvaluationResult("test", "t", "d/", 1, 2, 2,
                Double.NaN, 0, two)).withMessage("accuracy must be in [0, 1], got NaN");
        assertThatIllegalArgumentException().isThrownBy(() -> new EvaluationResult("test", "t", "d/", 1, 2, 0, 1, 0,
                new long[0][])).withMessage("an evaluation counts >= 1 sample, batch and batch size; got 0, 2, 1");
        assertThatIllegalArgumentException().isThrownBy(() -> new EvaluationResult("test", "t", "d/", 1, 2, 2, 1, 0,
                new long[][] {{1, 0}, {1}})).withMessage("confusion must be classes x classes, row 1 is [1]");
        assertThatIllegalArgumentException().isThrownBy(() -> new EvaluationResult("test", "t", "d/", 1, 2, 2, 1, 0,
                new long[][] {{3, -1}, {0, 0}})).withMessage("confusion counts must be >= 0, row 0 is [3, -1]");
        assertThatIllegalArgumentException().isThrownBy(() -> new EvaluationResult("test", "t", "d/", 1, 2, 3, 1, 0,
                two)).withMessage("confusion counts 2 samples, the evaluation 3");
        assertThatNullPointerException().isThrownBy(() -> new EvaluationResult("test", "t", null, 1, 2, 2, 1, 0, two))
                .withMessage("key");
    }

    @Test
    void anEvaluationKeepsItsOwnCopyOfTheConfusionMatrix() {
        long[][] counts = {{1, 0}, {0, 1}};
        EvaluationResult result = new EvaluationResult("test", "t", "d/", 1, 2, 2, 1, 0, counts);
        counts[0][0] = 7;
        result.confusion()[1][1] = 7;
        assertThat(result.confusion()).isEqualTo(new long[][] {{1, 0}, {0, 1}});
        assertThat(result.classes()).isEqualTo(2);
        assertThat(result).isEqualTo(new EvaluationResult("test", "t", "d/", 1, 2, 2, 1, 0, new long[][] {{1, 0},
                {0, 1}})).hasSameHashCodeAs(new EvaluationResult("test", "t", "d/", 1, 2, 2, 1, 0,
                new long[][] {{1, 0}, {0, 1}}));
    }

    @Test
    void aRecordWrittenBeforeTrainLossReadsAsUnknownNotZero() throws Exception {
        ObjectNode json = (ObjectNode) PLAIN.readTree(serializer.serialize("t", metrics(0.6473, 1.0913)));
        json.remove("trainLoss");
        TestMetrics old = deserializer.deserialize("t", PLAIN.writeValueAsBytes(json));
        assertThat(old.trainLoss()).isNaN();
        assertThat(old).isEqualTo(metrics(0.6473, 1.0913).withTrainLoss(Double.NaN));
        json.putNull("trainLoss");
        assertThat(deserializer.deserialize("t", PLAIN.writeValueAsBytes(json)).trainLoss()).isNaN();
    }

    @Test
    void carriesThePrequentialMetrics() throws Exception {
        PrequentialMetrics prequential = new PrequentialMetrics(1000, 960, 0.75, 0.6931471805599453, 0.999,
                0.7512345678901234, Double.NaN);
        TestMetrics metrics = metrics(0.6473, 1.0913).withPrequential(prequential);
        byte[] json = serializer.serialize("t", metrics);
        assertThat(deserializer.deserialize("t", json)).isEqualTo(metrics);
        assertThat(PLAIN.readTree(json).get("prequential").toString()).isEqualTo("{\"window\":1000,"
                + "\"windowSamples\":960,\"windowAccuracy\":0.75,\"windowLoss\":0.6931471805599453,"
                + "\"fadingFactor\":0.999,\"fadingAccuracy\":0.7512345678901234,\"fadingLoss\":\"NaN\"}");
    }

    @Test
    void recordsWrittenBeforeThePrequentialMemberReadItAsNull() throws Exception {
        ObjectNode json = (ObjectNode) PLAIN.readTree(serializer.serialize("t", metrics(0.6473, 1.0913)));
        assertThat(json.get("prequential").isNull()).isTrue();
        json.remove("prequential");
        assertThat(deserializer.deserialize("t", PLAIN.writeValueAsBytes(json)).prequential()).isNull();
        assertThat(deserializer.deserialize("t", PLAIN.writeValueAsBytes(json))).isEqualTo(metrics(0.6473, 1.0913));
    }

    @Test
    void nullInNullOut() {
        assertThat(serializer.serialize("t", null)).isNull();
        assertThat(deserializer.deserialize("t", null)).isNull();
    }

    @Test
    void writesAJsonObjectWithTheRecordsFieldNames() throws Exception {
        JsonNode json = PLAIN.readTree(serializer.serialize("t", metrics(0.6473, 1.0913)));
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("runId", "dataset", "model", "epoch", "step", "samplesSeen", "epochEnd",
                "finalSnapshot", "accuracy", "avgLoss", "testSamples", "snapshotSha256", "snapshotCreatedAtMillis",
                "evaluatedAtMillis", "trainLoss", "trainAccuracy", "test", "validation", "prequential");
        assertThat(json.get("accuracy").asDouble()).isEqualTo(0.6473);
        assertThat(json.get("testSamples").asInt()).isEqualTo(10_000);
        assertThat(json.get("finalSnapshot").asBoolean()).isTrue();
        assertThat(json.get("trainLoss").asDouble()).isEqualTo(0.5613419);
        assertThat(json.get("trainAccuracy").asText()).isEqualTo("NaN");
        assertThat(json.get("test").isNull()).isTrue();
        assertThat(json.get("validation").isNull()).isTrue();
    }

    @Test
    void writesUtf8() {
        TestMetrics m = new TestMetrics("r", "数据", "m", 1, 0, 0, false, false, 0.5, 1, 1, SHA, 0, 0, 1);
        String json = new String(serializer.serialize("t", m), StandardCharsets.UTF_8);
        assertThat(json).contains("\"dataset\":\"数据\"");
    }

    @Test
    void ignoresUnknownFields() throws Exception {
        ObjectNode json = (ObjectNode) PLAIN.readTree(serializer.serialize("t", metrics(0.6473, 1.0913)));
        json.put("perClassAccuracy", "later");
        json.putObject("confusion").putArray("rows").add(1);
        assertThat(deserializer.deserialize("t", PLAIN.writeValueAsBytes(json))).isEqualTo(metrics(0.6473, 1.0913));
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> deserializer.deserialize("t", "xx".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("metrics record: not a valid metrics JSON object: Unrecognized token 'xx'");
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[0]))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("metrics record: not a valid metrics JSON object: No content to map");
        assertThatThrownBy(() -> deserializer.deserialize("t", "{\"runId\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("metrics record: not a valid metrics JSON object: ");
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.5, -0.1})
    void rejectsAccuracyOutsideZeroToOne(double accuracy) throws Exception {
        ObjectNode json = (ObjectNode) PLAIN.readTree(serializer.serialize("t", metrics(0.5, 1)));
        json.put("accuracy", accuracy);
        assertThatThrownBy(() -> deserializer.deserialize("t", PLAIN.writeValueAsBytes(json)))
                .isInstanceOf(SerializationException.class)
                .hasMessage("metrics record: not a valid metrics JSON object: accuracy must be in [0, 1], got "
                        + accuracy);
    }

    @Test
    void rejectsAMissingRunId() throws Exception {
        ObjectNode json = (ObjectNode) PLAIN.readTree(serializer.serialize("t", metrics(0.5, 1)));
        json.remove("runId");
        assertThatThrownBy(() -> deserializer.deserialize("t", PLAIN.writeValueAsBytes(json)))
                .isInstanceOf(SerializationException.class)
                .hasMessage("metrics record: not a valid metrics JSON object: runId");
    }

    @Test
    void validatesTheRecord() {
        assertThatIllegalArgumentException().isThrownBy(() -> metrics(Double.NaN, 1))
                .withMessage("accuracy must be in [0, 1], got NaN");
        assertThatIllegalArgumentException().isThrownBy(() -> new TestMetrics("r", "d", "m", 1, 0, 0, false, false,
                0.5, 1, 0, SHA, 0, 0, 1)).withMessage("testSamples must be >= 1, got 0");
    }
}
