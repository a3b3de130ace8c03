package dev.streamtrain.contracts.run;

import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.transform.Normalize;
import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.model.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RunSpecTest {

    private static final String ID_RULE = " is not valid: use 1-128 characters of [A-Za-z0-9._-], starting with a"
            + " letter or digit";

    private static RunSpec withIds(String runId, String stream) {
        return new RunSpec(runId, stream, "fashion-mnist", "tutorial-mlp", RunSpec.CROSS_ENTROPY,
                Sgd.of(1e-3), 64, 5, 42L, TopicNames.DEFAULT, RunSpecFixture.ENVIRONMENT);
    }

    private static RunSpec with(String loss, int batchSize, int epochs) {
        return new RunSpec("run-1", "stream-1", "fashion-mnist", "tutorial-mlp", loss, Sgd.of(1e-3),
                batchSize, epochs, 42L, TopicNames.DEFAULT, RunSpecFixture.ENVIRONMENT);
    }

    @Test
    void keepsEveryField() {
        RunSpec spec = RunSpecFixture.spec();
        assertThat(spec.runId()).isEqualTo("run-1");
        assertThat(spec.stream()).isEqualTo("stream-1");
        assertThat(spec.dataset()).isEqualTo("fashion-mnist");
        assertThat(spec.model()).isEqualTo("tutorial-mlp");
        assertThat(spec.loss()).isEqualTo("cross-entropy");
        assertThat(spec.optimizer()).isEqualTo(Sgd.of(1e-3));
        assertThat(spec.batchSize()).isEqualTo(64);
        assertThat(spec.epochs()).isEqualTo(5);
        assertThat(spec.seed()).isEqualTo(42L);
        assertThat(spec.topics()).isEqualTo(TopicNames.DEFAULT);
        assertThat(spec.environment()).isEqualTo(RunSpecFixture.ENVIRONMENT);
    }

    static Stream<String> invalidIds() {
        return Stream.of("", "-run", ".run", "_run", "run 1", "run/1", "run:1", "run@1", "rün", "run\n",
                "r".repeat(129), "ラン");
    }

    @ParameterizedTest
    @MethodSource("invalidIds")
    void rejectsBadRunIdCharacters(String id) {
        assertThatIllegalArgumentException().isThrownBy(() -> withIds(id, "stream-1"))
                .withMessage("runId '" + id + "'" + ID_RULE);
    }

    @ParameterizedTest
    @MethodSource("invalidIds")
    void rejectsBadStreamIdCharacters(String id) {
        assertThatIllegalArgumentException().isThrownBy(() -> withIds("run-1", id))
                .withMessage("stream '" + id + "'" + ID_RULE);
    }

    static Stream<String> validIds() {
        return Stream.of("r", "7", "Run-1.2_3", "a-", "A.", "r".repeat(128), "0_._-");
    }

    @ParameterizedTest
    @MethodSource("validIds")
    void acceptsLegalIds(String id) {
        RunSpec spec = withIds(id, id);
        assertThat(spec.runId()).isEqualTo(id);
        assertThat(spec.stream()).isEqualTo(id);
    }

    @Test
    void requireIdIsUsableOnItsOwn() {
        RunSpec.requireId("group", "ok-1");
        assertThatIllegalArgumentException().isThrownBy(() -> RunSpec.requireId("group", "not ok"))
                .withMessage("group 'not ok'" + ID_RULE);
        assertThatNullPointerException().isThrownBy(() -> RunSpec.requireId("group", null)).withMessage("group");
    }

    @Test
    void rejectsNullRunId() {
        assertThatNullPointerException().isThrownBy(() -> withIds(null, "stream-1")).withMessage("runId");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, Integer.MIN_VALUE})
    void rejectsNegativeEpochs(int epochs) {
        assertThatIllegalArgumentException().isThrownBy(() -> with(RunSpec.CROSS_ENTROPY, 64, epochs))
                .withMessage("epochs must be >= 1, or 0 for a run on an open stream, got " + epochs);
    }

    @Test
    void epochsZeroIsARunOnAnOpenStream() {
        assertThat(with(RunSpec.CROSS_ENTROPY, 64, RunSpec.OPEN).isOpen()).isTrue();
        assertThat(with(RunSpec.CROSS_ENTROPY, 64, 1).isOpen()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -64})
    void rejectsBatchSizeBelowOne(int batchSize) {
        assertThatIllegalArgumentException().isThrownBy(() -> with(RunSpec.CROSS_ENTROPY, batchSize, 5))
                .withMessage("batchSize must be >= 1, got " + batchSize);
    }

    @Test
    void acceptsOneEpochOfOneSampleBatches() {
        RunSpec spec = with(RunSpec.CROSS_ENTROPY, 1, 1);
        assertThat(spec.batchSize()).isEqualTo(1);
        assertThat(spec.epochs()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void rejectsABlankLoss(String loss) {
        assertThatIllegalArgumentException().isThrownBy(() -> with(loss, 64, 5))
                .withMessage("loss must name a loss, e.g. 'cross-entropy'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cross-entropy", "nll", "mse", "my-cross-entropy"})
    void leavesLossNamesToTheLossRegistryWhichMayHoldCustomOnes(String loss) {
        assertThat(with(loss, 64, 5).loss()).isEqualTo(loss);
    }

    @Test
    void aSpecWithoutLoaderOrTransformsIsAsSpecsBefore04Read() {
        RunSpec spec = RunSpecFixture.spec();
        assertThat(spec.loader()).isNull();
        assertThat(spec.hasValidation()).isFalse();
        assertThat(spec.transforms()).isEmpty();
        assertThat(spec.recipe().transforms()).isEmpty();
        assertThat(RunSpecFixture.with(spec, null, null).transforms()).isEmpty();
    }

    @Test
    void aValidationSplitIsOneOfAtLeastOneSample() {
        assertThat(RunSpecFixture.sampledSpec().hasValidation()).isFalse();
        assertThat(RunSpecFixture.normalizedSpec().hasValidation()).isTrue();
    }

    @Test
    void theRecipeCarriesTheTransformsInOrder() {
        Normalize first = new Normalize(new double[] {0.5}, new double[] {0.5});
        Normalize second = new Normalize(new double[] {0.1307}, new double[] {0.3081});
        List<TensorTransform> transforms = new ArrayList<>(List.of(first, second));
        RunSpec spec = RunSpecFixture.with(RunSpecFixture.spec(), null, transforms);
        transforms.clear();
        assertThat(spec.transforms()).containsExactly(first, second);
        assertThat(spec.recipe().transforms()).containsExactly(first, second);
        assertThat(spec.recipe().describeTransforms()).isEqualTo("ToTensor(), Normalize(mean=[0.5], std=[0.5]), "
                + "Normalize(mean=[0.1307], std=[0.3081])");
        assertThat(spec.recipe().describe()).endsWith(", transforms ToTensor(), Normalize(mean=[0.5], std=[0.5]), "
                + "Normalize(mean=[0.1307], std=[0.3081])");
        assertThat(RunSpecFixture.spec().recipe().describe()).doesNotContain("transforms");
    }

    @Test
    void rejectsMissingParts() {
        assertThatNullPointerException().isThrownBy(() -> new RunSpec("run-1", "stream-1", "d", "m",
                RunSpec.CROSS_ENTROPY, null, 1, 1, 0, TopicNames.DEFAULT, RunSpecFixture.ENVIRONMENT))
                .withMessage("optimizer");
        assertThatNullPointerException().isThrownBy(() -> new RunSpec("run-1", "stream-1", "d", "m",
                RunSpec.CROSS_ENTROPY, Sgd.of(1), 1, 1, 0, null, RunSpecFixture.ENVIRONMENT))
                .withMessage("topics");
        assertThatNullPointerException().isThrownBy(() -> new RunSpec("run-1", "stream-1", "d", "m",
                RunSpec.CROSS_ENTROPY, Sgd.of(1), 1, 1, 0, TopicNames.DEFAULT, null))
                .withMessage("environment");
    }
}
