package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.loss.Losses;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Rebuilds the network of a snapshot (the architecture, loss and engine its run spec records,
 * the parameters the record holds) and runs the test loop on the test set of the run's dataset.
 * One network per architecture, loss and engine is kept and reloaded with each snapshot's
 * parameters; one test set per dataset.
 */
public final class SnapshotEvaluator {

    private final Function<String, TestSet> testSets;
    private final MeterRegistry registry;
    private final Map<NetworkKey, Network> networks = new HashMap<>();
    private final Map<String, TestSet> loadedTestSets = new HashMap<>();

    /** Networks are shared by runs of the same architecture, loss and engine. */
    private record NetworkKey(Architecture architecture, String loss, String engine) {
    }

    /** @param testSets reads the test set of a dataset (called once per dataset) */
    public SnapshotEvaluator(Function<String, TestSet> testSets) {
        this(testSets, new CompositeMeterRegistry());
    }

    /** Also records {@code streamtrain_evaluation_seconds} (the test loop of one snapshot) in {@code registry}. */
    public SnapshotEvaluator(Function<String, TestSet> testSets, MeterRegistry registry) {
        this.testSets = testSets;
        this.registry = registry;
    }

    public TestMetrics evaluate(WeightSnapshot snapshot) {
        RunSpec spec = snapshot.spec();
        Architecture architecture = spec.architecture();
        if (architecture == null) {
            throw new IllegalArgumentException(snapshot + ": its run spec records no architecture for model "
                    + spec.model());
        }
        if (!architecture.layout().equals(snapshot.layout())) {
            throw new IllegalArgumentException(snapshot + " has layout " + snapshot.layout() + " but model "
                    + spec.model() + " has " + architecture.layout());
        }
        Network network = networks.computeIfAbsent(new NetworkKey(architecture, spec.loss(), spec.engine()),
                key -> Engines.get(key.engine()).create(key.architecture(), Losses.get(key.loss())));
        network.setParameters(snapshot.parameters());
        TestSet testSet = loadedTestSets.computeIfAbsent(spec.dataset(), testSets);
        long started = System.nanoTime();
        TestResult result = TestLoop.run(network, testSet);
        Timer.builder("streamtrain.evaluation").description("Test loop over one snapshot")
                .tags("run", snapshot.runId(), "dataset", spec.dataset(), "model", spec.model())
                .register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return new TestMetrics(snapshot.runId(), spec.dataset(), spec.model(), snapshot.epoch(),
                snapshot.step(), snapshot.samplesSeen(), snapshot.epochEnd(), snapshot.finalSnapshot(),
                result.accuracy(), result.avgLoss(), result.samples(), snapshot.parametersSha256(),
                snapshot.createdAtMillis(), System.currentTimeMillis(), snapshot.trainLoss().mean());
    }
}
