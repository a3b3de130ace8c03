package dev.streamtrain.model.optim;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

import static dev.streamtrain.model.optim.Hyperparameters.or;

/**
 * {@code torch.optim.SGD(lr=1e-3, momentum=0, dampening=0, nesterov=False, weight_decay=0)}
 * (torch requires {@code lr}; 1e-3 is the tutorial's). Per parameter value, with gradient g:
 * <pre>
 * if weight_decay != 0: g = g + weight_decay * p
 * if momentum != 0:
 *     b = g                                      at step 1
 *     b = momentum * b + (1 - dampening) * g     after
 *     g = g + momentum * b  if nesterov  else  b
 * p = p - lr * g
 * </pre>
 * State: {@code momentum_buffer} when momentum != 0, else none (plain SGD, as every run before
 * other optimizers existed: its snapshots have no optimizer state).
 */
public record Sgd(@JsonProperty("learningRate") double lr, double momentum, double dampening,
                  boolean nesterov, double weightDecay) implements OptimizerSpec {

    public static final String NAME = "sgd";
    public static final double DEFAULT_LR = 1e-3;

    public Sgd {
        Hyperparameters.requireLr(NAME, lr);
        Hyperparameters.requireAtLeastZero(NAME, "momentum", momentum);
        Hyperparameters.requireAtLeastZero(NAME, "dampening", dampening);
        Hyperparameters.requireAtLeastZero(NAME, "weight_decay", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException(NAME + ": nesterov momentum requires a momentum > 0 and zero "
                    + "dampening, got momentum " + momentum + ", dampening " + dampening);
        }
    }

    /**
     * Reads an SGD optimizer; every hyperparameter a JSON object lacks is PyTorch's default (lr: the
     * tutorial's 1e-3). Every spec written before momentum existed reads as plain SGD.
     */
    @JsonCreator
    static Sgd fromJson(@JsonProperty("learningRate") @JsonAlias("lr") Double lr,
                        @JsonProperty("momentum") Double momentum, @JsonProperty("dampening") Double dampening,
                        @JsonProperty("nesterov") Boolean nesterov, @JsonProperty("weightDecay") Double weightDecay) {
        return new Sgd(or(lr, DEFAULT_LR), or(momentum, 0.0), or(dampening, 0.0), nesterov != null && nesterov,
                or(weightDecay, 0.0));
    }

    /** Plain SGD, the tutorial's {@code torch.optim.SGD(model.parameters(), lr=learning_rate)}. */
    public static Sgd of(double lr) {
        return new Sgd(lr, 0, 0, false, 0);
    }

    /** No momentum and no weight decay: {@code p = p - lr * g}, the tutorial's SGD, without state. */
    @JsonIgnore
    public boolean isPlain() {
        return momentum == 0 && weightDecay == 0;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Sgd withLr(double newLr) {
        return new Sgd(newLr, momentum, dampening, nesterov, weightDecay);
    }

    @Override
    public List<String> stateNames() {
        return momentum != 0 ? List.of("momentum_buffer") : List.of();
    }

    @Override
    public void update(float[] params, float[] grads, float[][] state, int from, int to, double learningRate,
                       long step) {
        float lrF = (float) learningRate;
        float wd = (float) weightDecay;
        float mu = (float) momentum;
        float keep = (float) (1 - dampening);
        float[] buffer = momentum != 0 ? state[0] : null;
        for (int i = from; i < to; i++) {
            float g = grads[i];
            if (weightDecay != 0) {
                g = g + wd * params[i];
            }
            if (buffer != null) {
                float b = step == 1 ? g : buffer[i] * mu + keep * g;
                buffer[i] = b;
                g = nesterov ? g + mu * b : b;
            }
            params[i] = params[i] - lrF * g;
        }
    }

    @Override
    public String describe() {
        return "SGD(lr=" + Hyperparameters.format(lr) + ", momentum=" + Hyperparameters.format(momentum)
                + ", dampening=" + Hyperparameters.format(dampening) + ", nesterov=" + (nesterov ? "True" : "False")
                + ", weight_decay=" + Hyperparameters.format(weightDecay) + ")";
    }
}
