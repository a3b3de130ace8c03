package dev.streamtrain.launcher.bench;

import dev.streamtrain.contracts.run.EnvironmentProbe;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.trainer.TrainingStep;

import java.util.List;
import java.util.Map;

/**
 * The trainer's step alone, on one engine: {@link TrainingStep#apply} (forward, loss, backward, the
 * schedule's rate, the optimizer's step) on prebuilt in-memory batches, as the trainer calls it for
 * every minibatch, with no Kafka and no decoding.
 */
final class EngineStepBench {

    private EngineStepBench() {
    }

    static Figure run(String engine, BenchPlan plan, String dataset, List<TensorBatch> batches) {
        RunSpec spec = new RunSpec("bench-step-" + engine, "bench-step", dataset, plan.recipe().model(),
                plan.recipe().loss(), plan.recipe().optimizer(), plan.batchSize(), 1, plan.seed(), TopicNames.DEFAULT,
                EnvironmentProbe.current(plan.threads()), 0, plan.recipe().modelOptions(), plan.recipe().schedule(),
                plan.architecture(), engine, null, plan.recipe().transforms());
        TrainingStep step = TrainingStep.start(spec, plan.threads());
        return StepTiming.of(plan).time("step, engine " + engine + " (in memory)", plan.batchSize(),
                i -> step.apply(batches.get(i % batches.size()), 1, i),
                Map.of("engine", engine, "engineVersion", Engines.get(engine).version(), "distinctBatches",
                        batches.size()));
    }
}
