package dev.streamtrain.model.schedule;

import dev.streamtrain.model.SpecFamily;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/** Schedules in torch's closed forms, at the positions torch's {@code scheduler.step()} per epoch reaches. */
class ScheduleSpecTest {

    @Test
    void constantKeepsTheOptimizersRate() {
        assertThat(new Constant().lr(0.1, 0)).isEqualTo(0.1);
        assertThat(new Constant().lr(0.1, 1000)).isEqualTo(0.1);
    }

    @Test
    void stepLrDecaysByGammaEveryStepSize() {
        StepLR step = new StepLR(2, 0.1, Interval.EPOCH);
        assertThat(step.lr(1.0, 0)).isEqualTo(1.0);
        assertThat(step.lr(1.0, 1)).isEqualTo(1.0);
        assertThat(step.lr(1.0, 2)).isCloseTo(0.1, within(1e-15));
        assertThat(step.lr(1.0, 5)).isCloseTo(0.01, within(1e-15));
    }

    @Test
    void exponentialLrDecaysByGammaEveryEpoch() {
        assertThat(new ExponentialLR(0.5, Interval.EPOCH).lr(0.8, 3)).isEqualTo(0.1);
    }

    @Test
    void cosineAnnealsFromLrToEtaMinOverTMaxAndRisesAfter() {
        CosineAnnealingLR cosine = new CosineAnnealingLR(4, 0.01, Interval.EPOCH);
        assertThat(cosine.lr(0.1, 0)).isEqualTo(0.1);
        assertThat(cosine.lr(0.1, 2)).isCloseTo(0.055, within(1e-15));
        assertThat(cosine.lr(0.1, 4)).isCloseTo(0.01, within(1e-15));
        assertThat(cosine.lr(0.1, 6)).isCloseTo(0.055, within(1e-15));
    }

    @Test
    void theTutorialsSchedulerStepPerEpochMeansEpochOneTrainsAtTheBaseRate() {
        StepLR perEpoch = new StepLR(1, 0.5, Interval.EPOCH);
        assertThat(perEpoch.lrFor(1.0, 1, 0)).isEqualTo(1.0);
        assertThat(perEpoch.lrFor(1.0, 1, 937)).isEqualTo(1.0);
        assertThat(perEpoch.lrFor(1.0, 2, 938)).isEqualTo(0.5);
        StepLR perStep = new StepLR(100, 0.5, Interval.STEP);
        assertThat(perStep.lrFor(1.0, 1, 99)).isEqualTo(1.0);
        assertThat(perStep.lrFor(1.0, 1, 100)).isEqualTo(0.5);
    }

    @Test
    void readsFromParametersWithTorchsDefaultsAndRequiredOnes() {
        assertThat(SpecFamily.SCHEDULES.create("step", Map.of("step_size",
                com.fasterxml.jackson.databind.node.IntNode.valueOf(5))))
                .isEqualTo(new StepLR(5, 0.1, Interval.EPOCH));
        assertThatIllegalArgumentException().isThrownBy(() -> SpecFamily.SCHEDULES.create("step", Map.of()))
                .withMessage("schedule step: schedule step needs step_size (epochs, or steps, between decays)");
        assertThatIllegalArgumentException().isThrownBy(() -> SpecFamily.SCHEDULES.create("cosine", Map.of()))
                .withMessageContaining("needs t_max");
        assertThatIllegalArgumentException().isThrownBy(() -> new StepLR(0, 0.1, null))
                .withMessage("schedule step: step_size must be >= 1, got 0");
    }
}
