package dev.streamtrain.contracts.run;

import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.contracts.topic.TopicNames;

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

    /** Same as {@link #spec()} with free-text fields holding non-ASCII characters. */
    public static RunSpec unicodeSpec(String runId) {
        return new RunSpec(runId, "stream-1", "fäshion-мнист-数据", "mlp-ü→😀", RunSpec.CROSS_ENTROPY,
                Sgd.of(0.5), 1, 1, -7L, TopicNames.DEFAULT.withPrefix("t."),
                new Environment("0.1.0", "1.0.0-M2.1", "4.3.1", "17", "Linux ☃", "aarch64", 16));
    }
}
