package dev.streamtrain.contracts.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamtrain.contracts.transform.Normalize;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.schedule.Constant;
import dev.streamtrain.model.zoo.TutorialMlp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RunSpecJsonTest {

    /** The spec as version 0.1 wrote it: no runs topic, no snapshotEvery. */
    private static final String V01_JSON = "{\"runId\":\"run-1\",\"stream\":\"stream-1\","
            + "\"dataset\":\"fashion-mnist\",\"model\":\"tutorial-mlp\",\"loss\":\"cross-entropy\","
            + "\"optimizer\":{\"name\":\"sgd\",\"learningRate\":0.001},\"batchSize\":64,\"epochs\":5,\"seed\":42,"
            + "\"topics\":{\"minibatches\":\"streamtrain.minibatches\",\"testSet\":\"streamtrain.testset\","
            + "\"snapshots\":\"streamtrain.snapshots\",\"metrics\":\"streamtrain.metrics\"},"
            + "\"environment\":{\"streamtrainVersion\":\"0.1.0-SNAPSHOT\",\"dl4jVersion\":\"1.0.0-M2.1\","
            + "\"kafkaVersion\":\"4.3.1\",\"javaVersion\":\"17.0.15\",\"os\":\"Linux\",\"arch\":\"amd64\","
            + "\"mathThreads\":1}}";

    /** The spec as version 0.2 wrote it: SGD with a learning rate only, no schedule, options, architecture or engine. */
    private static final String V02_JSON = "{\"runId\":\"run-1\",\"stream\":\"stream-1\","
            + "\"dataset\":\"fashion-mnist\",\"model\":\"tutorial-mlp\",\"loss\":\"cross-entropy\","
            + "\"optimizer\":{\"name\":\"sgd\",\"learningRate\":0.001},\"batchSize\":64,\"epochs\":5,\"seed\":42,"
            + "\"topics\":{\"minibatches\":\"streamtrain.minibatches\",\"testSet\":\"streamtrain.testset\","
            + "\"snapshots\":\"streamtrain.snapshots\",\"metrics\":\"streamtrain.metrics\","
            + "\"runs\":\"streamtrain.runs\"},"
            + "\"environment\":{\"streamtrainVersion\":\"0.1.0-SNAPSHOT\",\"dl4jVersion\":\"1.0.0-M2.1\","
            + "\"kafkaVersion\":\"4.3.1\",\"javaVersion\":\"17.0.15\",\"os\":\"Linux\",\"arch\":\"amd64\","
            + "\"mathThreads\":1},\"snapshotEvery\":0}";

    /** The spec as version 0.3 wrote it: no loader, no transforms. */
    private static final String V03_JSON = "{\"runId\":\"run-1\",\"stream\":\"stream-1\","
            + "\"dataset\":\"fashion-mnist\",\"model\":\"tutorial-mlp\",\"loss\":\"cross-entropy\","
            + "\"optimizer\":{\"name\":\"sgd\",\"learningRate\":0.001,\"momentum\":0.0,\"dampening\":0.0,"
            + "\"nesterov\":false,\"weightDecay\":0.0},\"batchSize\":64,\"epochs\":5,\"seed\":42,"
            + "\"topics\":{\"minibatches\":\"streamtrain.minibatches\",\"testSet\":\"streamtrain.testset\","
            + "\"snapshots\":\"streamtrain.snapshots\",\"metrics\":\"streamtrain.metrics\","
            + "\"runs\":\"streamtrain.runs\"},"
            + "\"environment\":{\"streamtrainVersion\":\"0.1.0-SNAPSHOT\",\"dl4jVersion\":\"1.0.0-M2.1\","
            + "\"kafkaVersion\":\"4.3.1\",\"javaVersion\":\"17.0.15\",\"os\":\"Linux\",\"arch\":\"amd64\","
            + "\"mathThreads\":1},\"snapshotEvery\":0,\"modelOptions\":{},\"schedule\":{\"name\":\"constant\"},"
            + "\"architecture\":{\"inputShape\":[1,28,28],\"classes\":10,\"layers\":[{\"type\":\"flatten\"},"
            + "{\"type\":\"linear\",\"inFeatures\":784,\"outFeatures\":512},{\"type\":\"relu\"},"
            + "{\"type\":\"linear\",\"inFeatures\":512,\"outFeatures\":512},{\"type\":\"relu\"},"
            + "{\"type\":\"linear\",\"inFeatures\":512,\"outFeatures\":10}]},\"engine\":\"dl4j\"}";

    /** The spec as versions 0.4 and 0.5 wrote it: no prequential measures. */
    private static final String V05_JSON = V03_JSON.substring(0, V03_JSON.length() - 1)
            + ",\"loader\":null,\"transforms\":[]}";

    /** The member 0.6 added, with its defaults. */
    private static final String PREQUENTIAL_JSON = "\"prequential\":{\"window\":1000,\"fadingFactor\":0.999}";

    /** The documented JSON form of {@link RunSpecFixture#spec()} (its stream did not say how it was made). */
    private static final String TUTORIAL_JSON = V05_JSON.substring(0, V05_JSON.length() - 1) + ","
            + PREQUENTIAL_JSON + "}";

    /** {@link RunSpecFixture#normalizedSpec()}: the members 0.4 added, with a validation split and Normalize. */
    private static final String NORMALIZED_JSON = V03_JSON.substring(0, V03_JSON.length() - 1)
            + ",\"loader\":{\"shuffle\":true,\"dropLast\":false,\"seed\":42,\"validationSize\":6000},"
            + "\"transforms\":[{\"name\":\"normalize\",\"mean\":[0.5],\"std\":[0.5]}]," + PREQUENTIAL_JSON + "}";

    private static final ObjectMapper PLAIN = new ObjectMapper();

    static Stream<RunSpec> specs() {
        return Stream.of(
                RunSpecFixture.spec(),
                RunSpecFixture.unicodeSpec("run-u"),
                RunSpecFixture.sampledSpec(),
                RunSpecFixture.normalizedSpec(),
                RunSpecFixture.with(RunSpecFixture.spec(), new Sampling(false, true, Long.MIN_VALUE, Integer.MAX_VALUE),
                        List.of(new Normalize(new double[] {0.4914, 0.4822, 0.4465},
                                new double[] {0.2470, 0.2435, 0.2616}),
                                new Normalize(new double[] {-1e-300}, new double[] {Double.MAX_VALUE}))),
                new RunSpec("r", "s", "mnist", "m", RunSpec.CROSS_ENTROPY, Sgd.of(Double.MIN_VALUE),
                        Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE,
                        RunSpecFixture.spec().topics().withPrefix("x-"), RunSpecFixture.ENVIRONMENT));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void roundTrips(RunSpec spec) {
        assertThat(RunSpecJson.read(RunSpecJson.write(spec))).isEqualTo(spec);
    }

    @Test
    void writesTheDocumentedJson() {
        assertThat(RunSpecJson.write(RunSpecFixture.spec())).isEqualTo(TUTORIAL_JSON);
    }

    @Test
    void readsTheDocumentedJson() {
        assertThat(RunSpecJson.read(TUTORIAL_JSON)).isEqualTo(RunSpecFixture.spec());
    }

    @Test
    void readsASpecWithoutPrequentialMeasuresWithTheDefaults() {
        RunSpec read = RunSpecJson.read(V05_JSON);
        assertThat(read.prequential()).isEqualTo(PrequentialSpec.DEFAULT).isEqualTo(new PrequentialSpec(1000, 0.999));
        assertThat(read).isEqualTo(RunSpecFixture.spec());
        assertThat(RunSpecJson.write(read)).isEqualTo(TUTORIAL_JSON);
        assertThat(RunSpecJson.read(V05_JSON.replace("\"transforms\":[]", "\"transforms\":[],\"prequential\":null")))
                .isEqualTo(RunSpecFixture.spec());
    }

    @Test
    void writesAndReadsPrequentialMeasures() {
        RunSpec spec = RunSpecFixture.spec().withPrequential(new PrequentialSpec(64, 1.0));
        String json = RunSpecJson.write(spec);
        assertThat(json).endsWith(",\"prequential\":{\"window\":64,\"fadingFactor\":1.0}}");
        assertThat(RunSpecJson.read(json)).isEqualTo(spec);
    }

    @Test
    void rejectsPrequentialMeasuresOutOfRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> RunSpecJson.read(TUTORIAL_JSON.replace(
                "\"window\":1000", "\"window\":0")))
                .withMessageContaining("--window must be in [1, 100000] samples, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> RunSpecJson.read(TUTORIAL_JSON.replace(
                "\"fadingFactor\":0.999", "\"fadingFactor\":1.5")))
                .withMessageContaining("--fading-factor must be in (0, 1] (1: a plain running mean), got 1.5");
        assertThatIllegalArgumentException().isThrownBy(() -> new PrequentialSpec(100_001, 0.5))
                .withMessage("--window must be in [1, 100000] samples, got 100001");
        assertThatIllegalArgumentException().isThrownBy(() -> new PrequentialSpec(10, 0))
                .withMessageContaining("got 0.0");
        assertThatIllegalArgumentException().isThrownBy(() -> new PrequentialSpec(10, Double.NaN))
                .withMessageContaining("got NaN");
    }

    @Test
    void writesAndReadsTheLoaderAndTransforms() {
        assertThat(RunSpecJson.write(RunSpecFixture.normalizedSpec())).isEqualTo(NORMALIZED_JSON);
        RunSpec read = RunSpecJson.read(NORMALIZED_JSON);
        assertThat(read).isEqualTo(RunSpecFixture.normalizedSpec());
        assertThat(read.loader()).isEqualTo(new Sampling(true, false, 42, 6000));
        assertThat(read.hasValidation()).isTrue();
        assertThat(read.transforms()).containsExactly(new Normalize(new double[] {0.5}, new double[] {0.5}));
        assertThat(read.recipe().transforms()).isEqualTo(read.transforms());
    }

    @Test
    void readsSpecsWrittenByVersion03WithoutLoaderOrTransforms() {
        RunSpec old = RunSpecJson.read(V03_JSON);
        assertThat(old).isEqualTo(RunSpecFixture.spec());
        assertThat(old.loader()).isNull();
        assertThat(old.hasValidation()).isFalse();
        assertThat(old.transforms()).isEmpty();
        assertThat(RunSpecJson.read(V03_JSON.replace("\"engine\":\"dl4j\"",
                "\"engine\":\"dl4j\",\"loader\":null,\"transforms\":null"))).isEqualTo(old);
    }

    @Test
    void readsSpecsWrittenByVersion02AsPlainSgdOfTheTutorialsNetwork() {
        RunSpec old = RunSpecJson.read(V02_JSON);
        assertThat(old).isEqualTo(RunSpecFixture.spec());
        assertThat(old.optimizer()).isEqualTo(Sgd.of(0.001));
        assertThat(old.schedule()).isEqualTo(new Constant());
        assertThat(old.modelOptions()).isEmpty();
        assertThat(old.architecture()).isEqualTo(TutorialMlp.architecture());
        assertThat(old.engine()).isEqualTo("dl4j");
        assertThat(old.loader()).isNull();
        assertThat(old.transforms()).isEmpty();
    }

    @Test
    void readsSpecsWrittenByVersion01WithDefaultsForLaterFields() {
        RunSpec old = RunSpecJson.read(V01_JSON);
        assertThat(old).isEqualTo(RunSpecFixture.spec());
        assertThat(old.topics().runs()).isEqualTo("streamtrain.runs");
        assertThat(old.snapshotEvery()).isZero();
    }

    @Test
    void keepsUnicodeAndExtremeNumbers() throws Exception {
        RunSpec spec = RunSpecFixture.unicodeSpec("run-2");
        JsonNode json = PLAIN.readTree(RunSpecJson.write(spec));
        assertThat(json.get("dataset").asText()).isEqualTo("fäshion-мнист-数据");
        assertThat(json.get("model").asText()).isEqualTo("mlp-ü→😀");
        assertThat(json.get("seed").asLong()).isEqualTo(-7L);
        assertThat(json.get("topics").get("metrics").asText()).isEqualTo("t.streamtrain.metrics");
    }

    @Test
    void ignoresUnknownFieldsAtEveryLevel() throws Exception {
        ObjectNode json = (ObjectNode) PLAIN.readTree(TUTORIAL_JSON);
        json.put("addedInVersion2", "x");
        json.putArray("tags").add(1).addObject().put("nested", true);
        ((ObjectNode) json.get("optimizer")).put("foreach", true);
        ((ObjectNode) json.get("schedule")).put("verbose", true);
        ((ObjectNode) json.withArray("/architecture/layers").get(1)).put("device", "cpu");
        ((ObjectNode) json.get("topics")).put("deadLetters", "streamtrain.dlq");
        ((ObjectNode) json.get("environment")).putObject("gpu").put("name", "none");
        assertThat(RunSpecJson.read(PLAIN.writeValueAsString(json))).isEqualTo(RunSpecFixture.spec());
    }

    @Test
    void writesFieldsInRecordOrder() throws Exception {
        List<String> names = new ArrayList<>();
        PLAIN.readTree(RunSpecJson.write(RunSpecFixture.spec())).fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("runId", "stream", "dataset", "model", "loss", "optimizer", "batchSize",
                "epochs", "seed", "topics", "environment", "snapshotEvery", "modelOptions", "schedule", "architecture",
                "engine", "loader", "transforms", "prequential");
    }

    @Test
    void rejectsMalformedJson() {
        assertThatIllegalArgumentException().isThrownBy(() -> RunSpecJson.read("{\"runId\": "))
                .withMessageStartingWith("run spec is not valid: ");
        assertThatIllegalArgumentException().isThrownBy(() -> RunSpecJson.read("not json"))
                .withMessageStartingWith("run spec is not valid: Unrecognized token 'not'");
        assertThatIllegalArgumentException().isThrownBy(() -> RunSpecJson.read(""))
                .withMessageStartingWith("run spec is not valid: No content to map due to end-of-input");
    }

    @Test
    void reportsTheValidationMessageOfTheSpec() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RunSpecJson.read(TUTORIAL_JSON.replace("\"epochs\":5", "\"epochs\":-1")))
                .withMessage("run spec is not valid: epochs must be >= 1, or 0 for a run on an open stream, got -1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RunSpecJson.read(TUTORIAL_JSON.replace("0.001", "-1")))
                .withMessage("run spec is not valid: sgd: lr must be a finite number > 0, got -1.0"
                        + " (the tutorial uses 1e-3)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RunSpecJson.read(TUTORIAL_JSON.replace("\"sgd\"", "\"lion\"")))
                .withMessageStartingWith("run spec is not valid: Could not resolve type id 'lion' as a subtype of "
                        + "`dev.streamtrain.model.optim.OptimizerSpec`: known type ids = [adagrad, adam, adamw, "
                        + "rmsprop, sgd]");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RunSpecJson.read(TUTORIAL_JSON.replace("\"outFeatures\":10", "\"outFeatures\":9")))
                .withMessage("run spec is not valid: the last layer Linear(in_features=512, out_features=9) produces "
                        + "9 logits, but there are 10 classes");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RunSpecJson.read(NORMALIZED_JSON.replace("\"std\":[0.5]", "\"std\":[0.0]")))
                .withMessage("run spec is not valid: Normalize needs finite means and finite stds > 0; got mean [0.5],"
                        + " std [0.0]");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RunSpecJson.read(NORMALIZED_JSON.replace("\"std\":[0.5]", "\"std\":[0.5,0.5]")))
                .withMessage("run spec is not valid: Normalize needs as many means as stds, at least one each; got"
                        + " mean [0.5], std [0.5, 0.5]");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RunSpecJson.read(NORMALIZED_JSON.replace("\"normalize\"", "\"resize\"")))
                .withMessageStartingWith("run spec is not valid: Could not resolve type id 'resize' as a subtype of "
                        + "`dev.streamtrain.contracts.transform.TensorTransform`: known type ids = [normalize]");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RunSpecJson.read(NORMALIZED_JSON.replace("6000", "-1")))
                .withMessage("run spec is not valid: validationSize must be >= 0, got -1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RunSpecJson.read(TUTORIAL_JSON.replace("\"run-1\"", "\"run 1\"")))
                .withMessage("run spec is not valid: runId 'run 1' is not valid: use 1-128 characters of"
                        + " [A-Za-z0-9._-], starting with a letter or digit");
    }

    @Test
    void namesAMissingField() {
        String noEnvironment = TUTORIAL_JSON.substring(0, TUTORIAL_JSON.indexOf(",\"environment\"")) + "}";
        assertThatIllegalArgumentException().isThrownBy(() -> RunSpecJson.read(noEnvironment))
                .withMessage("run spec is not valid: environment");
    }

    @Test
    void rejectsJsonNull() {
        assertThatIllegalArgumentException().isThrownBy(() -> RunSpecJson.read("null"))
                .withMessageStartingWith("run spec is not valid");
    }
}
