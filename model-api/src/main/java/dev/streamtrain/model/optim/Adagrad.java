package dev.streamtrain.model.optim;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

import static dev.streamtrain.model.optim.Hyperparameters.or;

/**
 * {@code torch.optim.Adagrad(lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10)}:
 * <pre>
 * if weight_decay != 0: g = g + weight_decay * p
 * clr = lr / (1 + (t - 1) * lr_decay)
 * s = s + g * g                          s starts at initial_accumulator_value
 * p = p - clr * g / (sqrt(s) + eps)
 * </pre>
 * State: {@code sum}.
 */
public record Adagrad(@JsonProperty("learningRate") double lr, double lrDecay, double weightDecay,
                      double initialAccumulatorValue, double eps) implements OptimizerSpec {

    public static final String NAME = "adagrad";

    public Adagrad {
        Hyperparameters.requireLr(NAME, lr);
        Hyperparameters.requireAtLeastZero(NAME, "lr_decay", lrDecay);
        Hyperparameters.requireAtLeastZero(NAME, "weight_decay", weightDecay);
        Hyperparameters.requireAtLeastZero(NAME, "initial_accumulator_value", initialAccumulatorValue);
        Hyperparameters.requireAtLeastZero(NAME, "eps", eps);
    }

    /** Reads an Adagrad optimizer; every hyperparameter a JSON object lacks is PyTorch's default. */
    @JsonCreator
    static Adagrad fromJson(@JsonProperty("learningRate") @JsonAlias("lr") Double lr,
                            @JsonProperty("lrDecay") Double lrDecay, @JsonProperty("weightDecay") Double weightDecay,
                            @JsonProperty("initialAccumulatorValue") Double initialAccumulatorValue,
                            @JsonProperty("eps") Double eps) {
        return new Adagrad(or(lr, 1e-2), or(lrDecay, 0.0), or(weightDecay, 0.0), or(initialAccumulatorValue, 0.0),
                or(eps, 1e-10));
    }

    /** PyTorch's defaults. */
    public static Adagrad defaults() {
        return fromJson(null, null, null, null, null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Adagrad withLr(double newLr) {
        return new Adagrad(newLr, lrDecay, weightDecay, initialAccumulatorValue, eps);
    }

    @Override
    public List<String> stateNames() {
        return List.of("sum");
    }

    @Override
    public float initialState(int slot) {
        return (float) initialAccumulatorValue;
    }

    @Override
    public void update(float[] params, float[] grads, float[][] state, int from, int to, double learningRate,
                       long step) {
        float[] sum = state[0];
        float clr = (float) (learningRate / (1 + (step - 1) * lrDecay));
        float wd = (float) weightDecay;
        float epsF = (float) eps;
        for (int i = from; i < to; i++) {
            float g = grads[i];
            if (weightDecay != 0) {
                g = g + wd * params[i];
            }
            sum[i] = sum[i] + g * g;
            params[i] = params[i] - clr * (g / ((float) Math.sqrt(sum[i]) + epsF));
        }
    }

    @Override
    public String describe() {
        return "Adagrad(lr=" + Hyperparameters.format(lr) + ", lr_decay=" + Hyperparameters.format(lrDecay)
                + ", weight_decay=" + Hyperparameters.format(weightDecay) + ", initial_accumulator_value="
                + Hyperparameters.format(initialAccumulatorValue) + ", eps=" + Hyperparameters.format(eps) + ")";
    }
}
