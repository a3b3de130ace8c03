package dev.streamtrain.model.optim;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

import static dev.streamtrain.model.optim.Hyperparameters.or;

/**
 * {@code torch.optim.Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False)}:
 * weight decay is added to the gradient ({@code g = g + weight_decay * p}), then the Adam update
 * ({@code AdamRule}). State: {@code exp_avg}, {@code exp_avg_sq} and, with amsgrad,
 * {@code max_exp_avg_sq}.
 */
public record Adam(@JsonProperty("learningRate") double lr, Betas betas, double eps,
                   double weightDecay, boolean amsgrad) implements OptimizerSpec {

    public static final String NAME = "adam";

    public Adam {
        betas = betas == null ? Betas.DEFAULT : betas;
        Hyperparameters.requireLr(NAME, lr);
        Hyperparameters.requireAtLeastZero(NAME, "eps", eps);
        Hyperparameters.requireAtLeastZero(NAME, "weight_decay", weightDecay);
    }

    /** Reads an Adam optimizer; every hyperparameter a JSON object lacks is PyTorch's default. */
    @JsonCreator
    static Adam fromJson(@JsonProperty("learningRate") @JsonAlias("lr") Double lr, @JsonProperty("betas") Betas betas,
                         @JsonProperty("eps") Double eps, @JsonProperty("weightDecay") Double weightDecay,
                         @JsonProperty("amsgrad") Boolean amsgrad) {
        return new Adam(or(lr, 1e-3), betas, or(eps, 1e-8), or(weightDecay, 0.0), amsgrad != null && amsgrad);
    }

    /** PyTorch's defaults. */
    public static Adam defaults() {
        return fromJson(null, null, null, null, null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Adam withLr(double newLr) {
        return new Adam(newLr, betas, eps, weightDecay, amsgrad);
    }

    @Override
    public List<String> stateNames() {
        return AdamRule.stateNames(amsgrad);
    }

    @Override
    public void update(float[] params, float[] grads, float[][] state, int from, int to, double learningRate,
                       long step) {
        AdamRule.step(params, grads, state, from, to, learningRate, step, betas, eps, amsgrad, weightDecay);
    }

    @Override
    public String describe() {
        return "Adam(lr=" + Hyperparameters.format(lr) + ", betas=" + betas + ", eps=" + Hyperparameters.format(eps)
                + ", weight_decay=" + Hyperparameters.format(weightDecay) + ", amsgrad="
                + (amsgrad ? "True" : "False") + ")";
    }
}
