package dev.streamtrain.launcher.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The method of every in-memory step figure, Java's and the PyTorch peer's alike: {@code warmup}
 * untimed steps, then {@code rounds} rounds of {@code stepsPerRound} timed steps; the figure is the
 * median round's mean step time, as samples per second.
 */
record StepTiming(int warmupSteps, int rounds, int stepsPerRound) {

    static StepTiming of(BenchPlan plan) {
        return new StepTiming(plan.warmupSteps(), plan.rounds(), plan.stepsPerRound());
    }

    /** Times {@code step}, called with the step's index (0, 1, ...) over warm-up and rounds. */
    Figure time(String name, int batchSize, IntConsumer step, Map<String, Object> moreDetails) {
        int i = 0;
        for (; i < warmupSteps; i++) {
            step.accept(i);
        }
        double[] millisPerStep = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long started = System.nanoTime();
            for (int s = 0; s < stepsPerRound; s++, i++) {
                step.accept(i);
            }
            millisPerStep[r] = (System.nanoTime() - started) / 1e6 / stepsPerRound;
        }
        double median = median(millisPerStep);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("msPerStep", median);
        details.put("roundsMsPerStep", rounded(millisPerStep));
        details.put("batchSize", batchSize);
        details.putAll(moreDetails);
        return Figure.measured(name, batchSize * 1000.0 / median, Figure.SAMPLES_PER_SECOND, details);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static List<Double> rounded(double[] values) {
        List<Double> out = new ArrayList<>();
        for (double v : values) {
            out.add(Math.round(v * 1000) / 1000.0);
        }
        return out;
    }
}
