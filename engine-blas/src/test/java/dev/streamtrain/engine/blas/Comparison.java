package dev.streamtrain.engine.blas;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.TorchInit;
import dev.streamtrain.model.loss.Loss;
import dev.streamtrain.model.optim.Optimizer;
import dev.streamtrain.model.optim.OptimizerSpec;

import java.util.Locale;

/**
 * The blas and dl4j engines trained side by side from the same initial parameters on the same
 * batches (64 samples, every 50th step 17, step 100 or, in shorter runs, the middle step a batch
 * of 100 that makes the blas engine grow its buffers), each with its own optimizer of the same
 * spec ({@code Network.train}: the blas engine fuses plain SGD into backpropagation), and how far
 * apart they went.
 *
 * @param lossDifference      the largest relative difference of the two batch losses over the steps
 * @param firstLossDeparture  the first step whose losses differ by more than 1e-4 relative; -1 if none
 * @param parameterDifference the largest parameter difference at the end, relative to the largest |parameter|
 * @param predictDifference   the largest difference of the eval-mode outputs at the end
 * @param correctMismatches   steps whose {@code trainCorrect} differed
 * @param firstLoss           the blas engine's first batch loss
 * @param blasLateLoss        the blas engine's mean loss over the last 50 steps
 * @param dl4jLateLoss        the dl4j engine's
 */
record Comparison(double lossDifference, int firstLossDeparture, double parameterDifference,
                  double predictDifference, int correctMismatches, double firstLoss, double blasLateLoss,
                  double dl4jLateLoss) {

    /** Minibatch {@code seed} of {@code n} samples. */
    interface Batches {
        TensorBatch batch(int n, long seed);
    }

    static Comparison train(Architecture architecture, Loss blasLoss, Loss dl4jLoss, OptimizerSpec spec, int steps,
                            Batches batches) {
        float[] initial = TorchInit.parameters(architecture.parameters(), 7);
        Network blas = Engines.get("blas").create(architecture, blasLoss);
        Network dl4j = Engines.get("dl4j").create(architecture, dl4jLoss);
        blas.setParameters(initial);
        dl4j.setParameters(initial);
        Optimizer blasOptimizer = new Optimizer(spec, architecture.parameterCount());
        Optimizer dl4jOptimizer = new Optimizer(spec, architecture.parameterCount());
        double lossDifference = 0;
        int departure = -1;
        int mismatches = 0;
        double first = Double.NaN;
        double blasLate = 0;
        double dl4jLate = 0;
        int late = Math.min(50, steps);
        int grow = Math.min(100, steps / 2);
        for (int step = 0; step < steps; step++) {
            TensorBatch batch = batches.batch(step == grow ? 100 : step % 50 == 49 ? 17 : 64, step);
            double blasValue = blas.train(batch, step, blasOptimizer, spec.lr());
            double dl4jValue = dl4j.train(batch, step, dl4jOptimizer, spec.lr());
            double difference = Math.abs(blasValue - dl4jValue) / Math.abs(dl4jValue);
            lossDifference = Math.max(lossDifference, difference);
            departure = departure < 0 && difference > 1e-4 ? step : departure;
            mismatches += blas.trainCorrect() == dl4j.trainCorrect() ? 0 : 1;
            first = step == 0 ? blasValue : first;
            blasLate += step >= steps - late ? blasValue / late : 0;
            dl4jLate += step >= steps - late ? dl4jValue / late : 0;
        }
        float[] a = blas.parameters();
        float[] b = dl4j.parameters();
        double largest = 0;
        double difference = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(b[i]));
            difference = Math.max(difference, Math.abs(a[i] - b[i]));
        }
        TensorBatch held = batches.batch(64, 1_000);
        float[] p = blas.predict(held);
        float[] q = dl4j.predict(held);
        double predictDifference = 0;
        for (int i = 0; i < p.length; i++) {
            predictDifference = Math.max(predictDifference, Math.abs(p[i] - q[i]));
        }
        return new Comparison(lossDifference, departure, difference / largest, predictDifference, mismatches, first,
                blasLate, dl4jLate);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "loss difference %.2e (relative; first above 1e-4 at step %d), parameters "
                        + "%.2e (relative to the largest), predictions %.2e, trainCorrect mismatches %d, loss %.4f -> "
                        + "%.4f (dl4j %.4f)", lossDifference, firstLossDeparture, parameterDifference,
                predictDifference, correctMismatches, firstLoss, blasLateLoss, dl4jLateLoss);
    }
}
