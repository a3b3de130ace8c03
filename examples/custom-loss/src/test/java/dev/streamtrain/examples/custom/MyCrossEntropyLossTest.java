package dev.streamtrain.examples.custom;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Models;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.TorchInit;
import dev.streamtrain.model.layer.Shape;
import dev.streamtrain.model.loss.CrossEntropyLoss;
import dev.streamtrain.model.loss.Loss;
import dev.streamtrain.model.loss.Losses;
import dev.streamtrain.model.loss.OutputActivation;
import dev.streamtrain.model.optim.Optimizer;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.zoo.TutorialMlp;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MyCrossEntropyLossTest {

    private static final int[] LABELS = {2, 0, 1};

    @Test
    void serviceLoaderFindsTheLossAndTheModel() {
        assertThat(Losses.get(MyCrossEntropyLoss.NAME)).isInstanceOf(MyCrossEntropyLoss.class);
        assertThat(Models.build(LogisticRegression.NAME, Map.of(), Shape.of(1, 28, 28), 10).describe())
                .isEqualTo("Sequential(\n  (0): Flatten()\n  (1): Linear(in_features=784, out_features=10)\n)");
    }

    @Test
    void isCrossEntropyOnTheLogits() {
        double[] logits = {0.5, -1, 2, 3, 0, -2, 1, 1, 1};
        Loss mine = new MyCrossEntropyLoss();
        assertThat(mine.value(logits, LABELS, 3)).isCloseTo(
                new CrossEntropyLoss().value(OutputActivation.SOFTMAX.apply(logits, 3), LABELS, 3), within(1e-12));
    }

    @Test
    void gradientMatchesCentralDifferences() {
        double[] logits = {0.5, -1, 2, 3, 0, -2, 1, 1, 1};
        Loss mine = new MyCrossEntropyLoss();
        double[] gradient = new double[logits.length];
        mine.gradient(logits, LABELS, 3, gradient);
        for (int i = 0; i < logits.length; i++) {
            double[] up = logits.clone();
            double[] down = logits.clone();
            up[i] += 1e-6;
            down[i] -= 1e-6;
            assertThat(gradient[i]).isCloseTo((mine.value(up, LABELS, 3) - mine.value(down, LABELS, 3)) / 2e-6,
                    within(1e-8));
        }
    }

    @Test
    void trainsTheTutorialNetworkAsTheBuiltInCrossEntropyDoes() {
        Architecture tutorial = TutorialMlp.architecture();
        Network mine = Engines.get("dl4j").create(tutorial, new MyCrossEntropyLoss());
        Network builtIn = Engines.get("dl4j").create(tutorial, new CrossEntropyLoss());
        float[] start = TorchInit.parameters(tutorial.parameters(), 42);
        mine.setParameters(start);
        builtIn.setParameters(start);
        Optimizer a = new Optimizer(Sgd.of(0.1), tutorial.parameterCount());
        Optimizer b = new Optimizer(Sgd.of(0.1), tutorial.parameterCount());
        for (int step = 0; step < 3; step++) {
            TensorBatch batch = batch(step);
            assertThat(mine.forwardBackward(batch, step)).isCloseTo(builtIn.forwardBackward(batch, step),
                    within(1e-5));
            mine.step(a, 0.1);
            builtIn.step(b, 0.1);
        }
        float[] x = mine.parameters();
        float[] y = builtIn.parameters();
        for (int i = 0; i < x.length; i++) {
            assertThat(x[i]).isCloseTo(y[i], within(1e-5f));
        }
    }

    private static TensorBatch batch(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[16 * 784];
        int[] labels = new int[16];
        for (int i = 0; i < 16; i++) {
            labels[i] = random.nextInt(10);
            for (int p = 0; p < 784; p++) {
                pixels[i * 784 + p] = random.nextInt(256) / 255f;
            }
        }
        return new TensorBatch(pixels, labels, TutorialMlp.INPUT, 10);
    }
}
