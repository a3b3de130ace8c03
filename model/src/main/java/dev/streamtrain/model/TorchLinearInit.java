package dev.streamtrain.model;

import dev.streamtrain.contracts.wire.TensorLayout;

import java.util.List;
import java.util.SplittableRandom;

/**
 * PyTorch's default initialisation of {@code nn.Linear}: weights and biases both drawn from
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (kaiming_uniform with a = sqrt(5) reduces to this bound).
 * Values come from a {@link SplittableRandom} seeded with the run's seed, in layout order, so the
 * start point is the same on every machine and independent of ND4J's native RNG.
 */
public final class TorchLinearInit {

    private TorchLinearInit() {
    }

    /**
     * Initial values for a layout of alternating weight [fan_in, fan_out] and bias [fan_out]
     * tensors; a bias takes the fan-in of the weight before it.
     */
    public static float[] parameters(List<TensorLayout> layout, long seed) {
        long total = layout.stream().mapToLong(TensorLayout::size).sum();
        float[] values = new float[Math.toIntExact(total)];
        SplittableRandom random = new SplittableRandom(seed);
        int at = 0;
        int fanIn = -1;
        for (TensorLayout tensor : layout) {
            int[] shape = tensor.shape();
            if (shape.length == 2) {
                fanIn = shape[0];
            } else if (fanIn < 0) {
                throw new IllegalArgumentException("bias '" + tensor.name() + "' comes before any weight");
            }
            double bound = 1.0 / Math.sqrt(fanIn);
            for (long i = 0; i < tensor.size(); i++) {
                values[at++] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
        }
        return values;
    }
}
