package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.NetworkModel;
import dev.streamtrain.model.NetworkModels;
import dev.streamtrain.model.ParameterLayout;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.function.Function;

/**
 * Rebuilds the network of a snapshot (its model from the run spec, its parameters from the record)
 * and runs the test loop on the test set of the run's dataset. One network per model is kept and
 * reloaded with each snapshot's parameters; one test set per dataset.
 */
public final class SnapshotEvaluator {

    private final Function<String, TestSet> testSets;
    private final MeterRegistry registry;
    private final Map<String, MultiLayerNetwork> networks = new HashMap<>();
    private final Map<String, TestSet> loadedTestSets = new HashMap<>();

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
        NetworkModel model = NetworkModels.byName(snapshot.spec().model());
        if (!model.layout().equals(snapshot.layout())) {
            throw new IllegalArgumentException(snapshot + " has layout " + snapshot.layout() + " but model "
                    + model.name() + " has " + model.layout());
        }
        MultiLayerNetwork network = networks.computeIfAbsent(model.name(),
                name -> model.create(snapshot.spec().optimizer(), 0));
        ParameterLayout.write(network, model.layout(), snapshot.parameters());
        TestSet testSet = loadedTestSets.computeIfAbsent(snapshot.spec().dataset(), testSets);
        long started = System.nanoTime();
        TestResult result = TestLoop.run(network, testSet);
        Timer.builder("streamtrain.evaluation").description("Test loop over one snapshot")
                .tags("run", snapshot.runId(), "dataset", snapshot.spec().dataset(), "model", model.name())
                .register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return new TestMetrics(snapshot.runId(), snapshot.spec().dataset(), model.name(), snapshot.epoch(),
                snapshot.step(), snapshot.samplesSeen(), snapshot.epochEnd(), snapshot.finalSnapshot(),
                result.accuracy(), result.avgLoss(), result.samples(), snapshot.parametersSha256(),
                snapshot.createdAtMillis(), System.currentTimeMillis(), snapshot.trainLoss().mean());
    }
}
