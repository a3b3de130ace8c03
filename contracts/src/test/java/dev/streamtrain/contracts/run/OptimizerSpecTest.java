package dev.streamtrain.contracts.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class OptimizerSpecTest {

    @Test
    void sgdIsTheTutorialsOptimizer() {
        OptimizerSpec sgd = OptimizerSpec.sgd(1e-3);
        assertThat(sgd.name()).isEqualTo("sgd");
        assertThat(sgd.learningRate()).isEqualTo(1e-3);
        assertThat(OptimizerSpec.KNOWN).containsExactly("sgd");
    }

    @Test
    void namesAreCaseInsensitiveAndStoredLowerCase() {
        assertThat(new OptimizerSpec("SGD", 0.1).name()).isEqualTo("sgd");
        assertThat(new OptimizerSpec("Sgd", 0.1)).isEqualTo(OptimizerSpec.sgd(0.1));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.0, -1e-3, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            -Double.MAX_VALUE})
    void rejectsLearningRatesThatAreNotFinitePositive(double lr) {
        assertThatIllegalArgumentException().isThrownBy(() -> OptimizerSpec.sgd(lr))
                .withMessage("optimizer.learningRate must be a finite number > 0, got " + lr
                        + " (the tutorial uses 1e-3)");
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.MIN_VALUE, 1e-3, 1.0, Double.MAX_VALUE})
    void acceptsFinitePositiveLearningRates(double lr) {
        assertThat(OptimizerSpec.sgd(lr).learningRate()).isEqualTo(lr);
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "Adam", "rmsprop", "", "sgd "})
    void rejectsUnknownOptimizers(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> new OptimizerSpec(name, 1e-3))
                .withMessage("optimizer.name '" + name.toLowerCase(java.util.Locale.ROOT)
                        + "' is not known; use one of [sgd]");
    }

    @Test
    void rejectsNullName() {
        assertThatNullPointerException().isThrownBy(() -> new OptimizerSpec(null, 1e-3))
                .withMessage("optimizer.name");
    }
}
