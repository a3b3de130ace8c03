package dev.streamtrain.model.loss;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The built-in losses: their values against torch's definitions, and a finite-difference gradient
 * check of each, in double precision, on the outputs it takes.
 */
class LossTest {

    private static final int N = 5;
    private static final int C = 4;
    private static final int[] LABELS = {0, 3, 2, 3, 1};

    @ParameterizedTest
    @ValueSource(strings = {CrossEntropyLoss.NAME, NllLoss.NAME, MseLoss.NAME})
    void gradientMatchesCentralDifferences(String name) {
        Loss loss = Losses.get(name);
        double[] outputs = loss.output().apply(logits(), C);
        double[] gradient = new double[outputs.length];
        loss.gradient(outputs, LABELS, C, gradient);
        double h = 1e-6;
        for (int i = 0; i < outputs.length; i++) {
            double[] up = outputs.clone();
            double[] down = outputs.clone();
            up[i] += h;
            down[i] -= h;
            double numeric = (loss.value(up, LABELS, C) - loss.value(down, LABELS, C)) / (2 * h);
            assertThat(gradient[i]).as("%s d/d output %d", name, i).isCloseTo(numeric, within(1e-7));
        }
    }

    @Test
    void crossEntropyIsMinusLogTheLabelsProbabilityAveraged() {
        double[] p = OutputActivation.SOFTMAX.apply(logits(), C);
        double expected = 0;
        for (int i = 0; i < N; i++) {
            expected -= Math.log(p[i * C + LABELS[i]]) / N;
        }
        assertThat(new CrossEntropyLoss().value(p, LABELS, C)).isCloseTo(expected, within(1e-12));
        // clipped at 1e-10 like DL4J's, so a certain wrong answer costs ~23 nats, not infinity
        assertThat(new CrossEntropyLoss().value(new double[] {1, 0}, new int[] {1}, 2)).isCloseTo(23.0259,
                within(1e-4));
    }

    @Test
    void nllOfLogSoftmaxIsCrossEntropyOfTheLogits() {
        double[] logits = logits();
        assertThat(new NllLoss().value(OutputActivation.LOG_SOFTMAX.apply(logits, C), LABELS, C))
                .isCloseTo(new CrossEntropyLoss().value(OutputActivation.SOFTMAX.apply(logits, C), LABELS, C),
                        within(1e-12));
    }

    @Test
    void mseAveragesOverEveryValueAgainstOneHotTargets() {
        // torch: F.mse_loss(x, F.one_hot(y, 2).float()) = mean((x - t)^2) over n * classes values
        assertThat(new MseLoss().value(new double[] {0.5, 0.5, 2, 0}, new int[] {0, 1}, 2))
                .isCloseTo((0.25 + 0.25 + 4 + 1) / 4, within(1e-15));
    }

    @Test
    void activationsAreTorchs() {
        // stable for large logits: log_softmax([1000, 1000]) = [-ln 2, -ln 2], no overflow
        double[] logSoftmax = OutputActivation.LOG_SOFTMAX.apply(new double[] {1000, 1000}, 2);
        assertThat(logSoftmax[0]).isCloseTo(-Math.log(2), within(1e-12));
        assertThat(logSoftmax[1]).isCloseTo(-Math.log(2), within(1e-12));
        assertThat(OutputActivation.SOFTMAX.apply(new double[] {0, Math.log(3)}, 2)[1]).isCloseTo(0.75, within(1e-15));
        assertThat(OutputActivation.IDENTITY.apply(new double[] {-3}, 1)).containsExactly(-3);
    }

    private static double[] logits() {
        SplittableRandom random = new SplittableRandom(3);
        double[] logits = new double[N * C];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = random.nextDouble(-2, 2);
        }
        return logits;
    }
}
