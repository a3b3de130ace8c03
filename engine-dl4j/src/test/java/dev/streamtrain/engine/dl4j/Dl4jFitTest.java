package dev.streamtrain.engine.dl4j;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.layer.Shape;
import dev.streamtrain.model.loss.CrossEntropyLoss;
import dev.streamtrain.model.loss.Losses;
import dev.streamtrain.model.optim.Adam;
import dev.streamtrain.model.optim.AdamW;
import dev.streamtrain.model.optim.Betas;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.zoo.TutorialMlp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** DL4J's own fit, the bench's baseline: it learns, and it is refused for rules DL4J has no updater for. */
class Dl4jFitTest {

    @BeforeAll
    static void oneThread() {
        MathThreads.apply(1);
    }

    @Test
    void fitLowersTheLossOfTheTutorialMlp() {
        Dl4jFit fit = Dl4jFit.create(TutorialMlp.architecture(), Losses.get(CrossEntropyLoss.NAME), Sgd.of(0.1), 7);
        ImageDataset data = SyntheticIdxDataset.dataset("synthetic", Split.TRAIN, 640, 3);
        double first = Double.NaN;
        for (int step = 0; step < 40; step++) {
            fit.fit(fit.prepare(batch(data, step % 10, 64)));
            first = step == 0 ? fit.score() : first;
        }
        assertThat(fit.score()).isLessThan(first * 0.5);
        assertThat(fit.updater()).contains("Sgd");
    }

    @Test
    void onlyRulesDl4jHasAnUpdaterFor() {
        assertThat(Dl4jFit.unsupported(Sgd.of(1e-3))).isEmpty();
        assertThat(Dl4jFit.unsupported(new Adam(1e-3, Betas.DEFAULT, 1e-8, 0, false))).isEmpty();
        assertThat(Dl4jFit.unsupported(new Sgd(1e-3, 0.9, 0, false, 0))).get().asString().contains("momentum=0.9");
        AdamW adamW = new AdamW(1e-3, Betas.DEFAULT, 1e-8, 1e-2, false);
        assertThatIllegalArgumentException().isThrownBy(() -> Dl4jFit.create(TutorialMlp.architecture(),
                Losses.get(CrossEntropyLoss.NAME), adamW, 1)).withMessageContaining("DL4J has no updater");
    }

    private static TensorBatch batch(ImageDataset data, int index, int size) {
        int sample = data.sampleSize();
        float[] features = new float[size * sample];
        int[] labels = new int[size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < sample; j++) {
                features[i * sample + j] = (data.pixels()[(index * size + i) * sample + j] & 0xFF) / 255f;
            }
            labels[i] = data.labels()[index * size + i];
        }
        return new TensorBatch(features, labels, Shape.of(data.sampleShape()), data.numClasses());
    }
}
