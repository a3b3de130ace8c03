package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.wire.EvaluationResult;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Network;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Rebuilds the network of a snapshot (the architecture, loss and engine its run spec records,
 * the parameters the record holds: {@link SnapshotNetworks}) and runs the test loop on the test set of
 * the run's dataset and, when the run's stream has a validation split, on that split too, each after
 * the run's transforms. One test set per dataset, one validation split per stream.
 */
public final class SnapshotEvaluator {

    private final EvaluationSets sets;
    private final MeterRegistry registry;
    private final SnapshotNetworks networks = new SnapshotNetworks();
    private final Map<String, EvaluationSet> testSets = new HashMap<>();
    private final Map<String, EvaluationSet> validationSets = new HashMap<>();

    public SnapshotEvaluator(EvaluationSets sets) {
        this(sets, new CompositeMeterRegistry());
    }

    /** Also records {@code streamtrain_evaluation_seconds} (the loops over one snapshot) in {@code registry}. */
    public SnapshotEvaluator(EvaluationSets sets, MeterRegistry registry) {
        this.sets = sets;
        this.registry = registry;
    }

    public TestMetrics evaluate(WeightSnapshot snapshot) {
        RunSpec spec = snapshot.spec();
        Network network = networks.load(snapshot);
        long started = System.nanoTime();
        EvaluationSet testSet = testSets.computeIfAbsent(spec.dataset(), sets::test);
        EvaluationResult test = TestLoop.run(network, testSet, spec.transforms()).of(testSet);
        EvaluationResult validation = null;
        if (spec.hasValidation()) {
            EvaluationSet validationSet = validationSets.computeIfAbsent(spec.stream(), sets::validation);
            validation = TestLoop.run(network, validationSet, spec.transforms()).of(validationSet);
        }
        Timer.builder("streamtrain.evaluation").description("Test (and validation) loop over one snapshot")
                .tags("run", snapshot.runId(), "dataset", spec.dataset(), "model", spec.model())
                .register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return new TestMetrics(snapshot.runId(), spec.dataset(), spec.model(), snapshot.epoch(),
                snapshot.step(), snapshot.samplesSeen(), snapshot.epochEnd(), snapshot.finalSnapshot(),
                test.accuracy(), test.avgLoss(), test.samples(), snapshot.parametersSha256(),
                snapshot.createdAtMillis(), System.currentTimeMillis(), snapshot.trainLoss().mean(),
                snapshot.trainAccuracy().mean(), test, validation, snapshot.prequentialMetrics());
    }
}
