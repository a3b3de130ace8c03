package dev.streamtrain.server;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.transform.Normalize;
import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.RecordFormatException;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.Predictions;
import dev.streamtrain.model.layer.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PredictorTest {

    private static final int N = 40;
    private static final ImageDataset DATA = ServerFixtures.images(N, 9);

    @BeforeAll
    static void oneThread() {
        Engines.setMathThreads(Engines.AUTO, 1);
    }

    private static List<Sample> samples() {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            samples.add(ServerFixtures.sample(DATA, i));
        }
        return samples;
    }

    /** The evaluator's path: the batch through ToTensor and the transforms, the network's outputs, their argmax. */
    @ParameterizedTest
    @ValueSource(strings = {"cross-entropy", "nll", "mse"})
    void predictsWhatTheTrainedNetworkComputesForEverySample(String loss) {
        List<TensorTransform> normalize = List.of(new Normalize(new double[] {0.5}, new double[] {0.5}));
        Network trained = ServerFixtures.trained(8, loss, normalize);
        WeightSnapshot snapshot = ServerFixtures.snapshot(ServerFixtures.spec("r", loss, null, normalize), 8,
                trained.parameters());
        float[] outputs = trained.predict(ToTensor.apply(DATA.pixels(), Shape.of(1, 28, 28), new int[N], 10,
                normalize));

        List<Prediction> predictions = new Predictor().predict(new ServedModel(snapshot, ServePolicy.LATEST, null),
                samples());

        assertThat(predictions).hasSize(N);
        int right = 0;
        for (int i = 0; i < N; i++) {
            Prediction p = predictions.get(i);
            assertThat(p.predictedClass()).isEqualTo(Predictions.argmax(outputs, i * 10, 10));
            float[] probabilities = p.probabilities();
            double sum = 0;
            for (float f : probabilities) {
                sum += f;
            }
            assertThat(sum).as("sample %d's probabilities", i).isCloseTo(1.0, within(1e-5));
            assertThat(Predictions.argmax(probabilities, 0, 10)).isEqualTo(p.predictedClass());
            if (loss.equals(RunSpec.CROSS_ENTROPY)) {
                for (int c = 0; c < 10; c++) {
                    assertThat(probabilities[c]).isEqualTo(outputs[i * 10 + c]); // the softmax outputs as they are
                }
            }
            right += p.predictedClass() == DATA.labels()[i] ? 1 : 0;
        }
        assertThat(right).as("a trained network, not a random one (1 in 10 right)").isGreaterThan(N / 4);
    }

    /**
     * A sample's class does not depend on what else its request holds; its probabilities may, in float32's last
     * bit: both engines' matrix products sum in an order that depends on the batch's size (as the evaluator's
     * outputs depend on its test batch size).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dl4j", "blas"})
    void oneSampleAtATimeGetsTheClassItGetsInABatch(String engine) {
        WeightSnapshot trained = ServerFixtures.snapshot("r", 8);
        RunSpec spec = trained.spec();
        RunSpec onEngine = new RunSpec(spec.runId(), spec.stream(), spec.dataset(), spec.model(), spec.loss(),
                spec.optimizer(), spec.batchSize(), spec.epochs(), spec.seed(), spec.topics(), spec.environment(),
                spec.snapshotEvery(), spec.modelOptions(), spec.schedule(), spec.architecture(), engine, spec.loader(),
                spec.transforms());
        ServedModel model = new ServedModel(ServerFixtures.snapshot(onEngine, 8, trained.parameters()),
                ServePolicy.LATEST, null);
        Predictor predictor = new Predictor();
        List<Prediction> batch = predictor.predict(model, samples());
        for (int i = 0; i < N; i++) {
            Prediction alone = predictor.predict(model, List.of(samples().get(i))).get(0);
            assertThat(alone.predictedClass()).isEqualTo(batch.get(i).predictedClass());
            float[] expected = batch.get(i).probabilities();
            float[] actual = alone.probabilities();
            for (int c = 0; c < 10; c++) {
                assertThat(actual[c]).isCloseTo(expected[c], within(1e-6f));
            }
        }
        assertThat(predictor.predict(model, samples())).as("the same batch: the same bits").isEqualTo(batch);
    }

    @Test
    void nestedSamplesAreTheirFlatPixels() {
        ServedModel model = new ServedModel(ServerFixtures.snapshot("r", 4), ServePolicy.LATEST, null);
        Sample flat = ServerFixtures.sample(DATA, 3);
        Predictor predictor = new Predictor();
        Prediction expected = predictor.predict(model, List.of(flat)).get(0);
        assertThat(predictor.predict(model, List.of(new Sample(flat.pixels(), new int[] {28, 28})))).containsExactly(expected);
        assertThat(predictor.predict(model, List.of(new Sample(flat.pixels(), new int[] {1, 28, 28})))).containsExactly(expected);
    }

    @Test
    void aSampleOfAnotherShapeIsRefusedNamingItAndTheShape() {
        ServedModel model = new ServedModel(ServerFixtures.snapshot("r", 1), ServePolicy.LATEST, null);
        List<Sample> samples = List.of(ServerFixtures.sample(DATA, 0), Sample.flat(new byte[100]));
        assertThatThrownBy(() -> new Predictor().predict(model, samples)).isInstanceOf(RecordFormatException.class)
                .hasMessage("prediction request: sample 1 is [100] (100 pixels), but run r takes samples of shape "
                        + "[1, 28, 28] (784 pixels, flat or nested as [28][28])");
        assertThatThrownBy(() -> new Predictor().predict(model, List.of(new Sample(new byte[784], new int[] {14, 56}))))
                .isInstanceOf(RecordFormatException.class).hasMessageContaining("sample 0 is [14, 56]");
    }

    @Test
    void aSwapIsPredictedWithTheNewSnapshot() {
        Predictor predictor = new Predictor();
        ServedModel early = new ServedModel(ServerFixtures.snapshot("r", 1), ServePolicy.LATEST, null);
        ServedModel later = new ServedModel(ServerFixtures.snapshot("r", 8), ServePolicy.LATEST, null);
        List<Prediction> fromEarly = predictor.predict(early, samples());
        List<Prediction> fromLater = predictor.predict(later, samples());
        assertThat(fromLater).isNotEqualTo(fromEarly);
        assertThat(new Predictor().predict(later, samples())).isEqualTo(fromLater);
        assertThat(predictor.predict(early, samples())).isEqualTo(fromEarly);
    }
}
