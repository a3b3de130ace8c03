package dev.streamtrain.contracts.run;

import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.transform.Normalize;
import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.model.optim.Sgd;

import java.util.List;

/** Valid run specs for tests; each test changes the one field it is about. */
public final class RunSpecFixture {

    public static final Environment ENVIRONMENT =
            new Environment("0.1.0-SNAPSHOT", "1.0.0-M2.1", "4.3.1", "17.0.15", "Linux", "amd64", 1);

    private RunSpecFixture() {
    }

    /** The tutorial's run: Fashion-MNIST, MLP, cross-entropy, SGD lr=1e-3, batch 64, 5 epochs. */
    public static RunSpec spec() {
        return spec("run-1");
    }

    public static RunSpec spec(String runId) {
        return new RunSpec(runId, "stream-1", "fashion-mnist", "tutorial-mlp", RunSpec.CROSS_ENTROPY,
                Sgd.of(1e-3), 64, 5, 42L, TopicNames.DEFAULT, ENVIRONMENT);
    }

    /**
     * The tutorial's run on a stream of minibatch version 2, as streamtrain 0.4 records it: shuffled every epoch
     * with seed 42, the last batch kept, no validation split, no transforms after ToTensor.
     */
    public static RunSpec sampledSpec() {
        return with(spec(), new Sampling(true, false, 42, 0), List.of());
    }

    /** {@link #spec()} with a validation split of 6000 and {@code Normalize((0.5,), (0.5,))}. */
    public static RunSpec normalizedSpec() {
        return with(spec(), new Sampling(true, false, 42, 6000),
                List.of(new Normalize(new double[] {0.5}, new double[] {0.5})));
    }

    /** {@code spec} with {@code loader} and {@code transforms} instead. */
    public static RunSpec with(RunSpec spec, Sampling loader, List<TensorTransform> transforms) {
        return new RunSpec(spec.runId(), spec.stream(), spec.dataset(), spec.model(), spec.loss(), spec.optimizer(),
                spec.batchSize(), spec.epochs(), spec.seed(), spec.topics(), spec.environment(), spec.snapshotEvery(),
                spec.modelOptions(), spec.schedule(), spec.architecture(), spec.engine(), loader, transforms);
    }

    /** Same as {@link #spec()} with free-text fields holding non-ASCII characters. */
    public static RunSpec unicodeSpec(String runId) {
        return new RunSpec(runId, "stream-1", "fäshion-мнист-数据", "mlp-ü→😀", RunSpec.CROSS_ENTROPY,
                Sgd.of(0.5), 1, 1, -7L, TopicNames.DEFAULT.withPrefix("t."),
                new Environment("0.1.0", "1.0.0-M2.1", "4.3.1", "17", "Linux ☃", "aarch64", 16));
    }
}
