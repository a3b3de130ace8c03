package dev.streamtrain.model.optim;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

import static dev.streamtrain.model.optim.Hyperparameters.or;

/**
 * {@code torch.optim.AdamW(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False)}:
 * decoupled weight decay, {@code p = p * (1 - lr * weight_decay)}, then the Adam update on the
 * plain gradient ({@code AdamRule}). State as {@link Adam}'s.
 */
public record AdamW(@JsonProperty("learningRate") double lr, Betas betas, double eps,
                    double weightDecay, boolean amsgrad) implements OptimizerSpec {

    public static final String NAME = "adamw";

    public AdamW {
        betas = betas == null ? Betas.DEFAULT : betas;
        Hyperparameters.requireLr(NAME, lr);
        Hyperparameters.requireAtLeastZero(NAME, "eps", eps);
        Hyperparameters.requireAtLeastZero(NAME, "weight_decay", weightDecay);
    }

    /** Reads an AdamW optimizer; every hyperparameter a JSON object lacks is PyTorch's default. */
    @JsonCreator
    static AdamW fromJson(@JsonProperty("learningRate") @JsonAlias("lr") Double lr, @JsonProperty("betas") Betas betas,
                          @JsonProperty("eps") Double eps, @JsonProperty("weightDecay") Double weightDecay,
                          @JsonProperty("amsgrad") Boolean amsgrad) {
        return new AdamW(or(lr, 1e-3), betas, or(eps, 1e-8), or(weightDecay, 1e-2), amsgrad != null && amsgrad);
    }

    /** PyTorch's defaults. */
    public static AdamW defaults() {
        return fromJson(null, null, null, null, null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AdamW withLr(double newLr) {
        return new AdamW(newLr, betas, eps, weightDecay, amsgrad);
    }

    @Override
    public List<String> stateNames() {
        return AdamRule.stateNames(amsgrad);
    }

    @Override
    public void update(float[] params, float[] grads, float[][] state, int from, int to, double learningRate,
                       long step) {
        float decay = (float) (1 - learningRate * weightDecay);
        for (int i = from; i < to; i++) {
            params[i] = params[i] * decay;
        }
        AdamRule.step(params, grads, state, from, to, learningRate, step, betas, eps, amsgrad, 0);
    }

    @Override
    public String describe() {
        return "AdamW(lr=" + Hyperparameters.format(lr) + ", betas=" + betas + ", eps=" + Hyperparameters.format(eps)
                + ", weight_decay=" + Hyperparameters.format(weightDecay) + ", amsgrad="
                + (amsgrad ? "True" : "False") + ")";
    }
}
