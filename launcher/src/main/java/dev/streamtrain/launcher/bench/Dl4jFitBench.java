package dev.streamtrain.launcher.bench;

import dev.streamtrain.engine.dl4j.Dl4jEngine;
import dev.streamtrain.engine.dl4j.Dl4jFit;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.loss.Losses;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DL4J's own {@code MultiLayerNetwork.fit} on the same network and batches, with DL4J's updater
 * nearest to the recipe's optimizer: what the {@code dl4j} engine's step costs over DL4J used as
 * DL4J intends.
 */
final class Dl4jFitBench {

    static final String NAME = "DL4J MultiLayerNetwork.fit (in memory)";

    private Dl4jFitBench() {
    }

    static Figure run(BenchPlan plan, List<TensorBatch> batches) {
        Optional<String> unsupported = Dl4jFit.unsupported(plan.recipe().optimizer());
        if (unsupported.isPresent()) {
            return Figure.skipped(NAME, Figure.SAMPLES_PER_SECOND, unsupported.get());
        }
        Engines.get(Dl4jEngine.NAME).setMathThreads(plan.threads());
        Dl4jFit fit = Dl4jFit.create(plan.architecture(), Losses.get(plan.recipe().loss()), plan.recipe().optimizer(),
                plan.seed());
        List<Dl4jFit.Batch> prepared = batches.stream().map(fit::prepare).toList();
        return StepTiming.of(plan).time(NAME, plan.batchSize(), i -> fit.fit(prepared.get(i % prepared.size())),
                Map.of("updater", fit.updater(), "distinctBatches", prepared.size()));
    }
}
