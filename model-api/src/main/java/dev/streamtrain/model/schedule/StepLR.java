package dev.streamtrain.model.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code StepLR(step_size, gamma=0.1)}: {@code lr * gamma ^ floor(t / step_size)}. */
public record StepLR(int stepSize, double gamma, Interval interval) implements ScheduleSpec {

    public static final String NAME = "step";

    public StepLR {
        interval = interval == null ? Interval.EPOCH : interval;
        if (stepSize < 1) {
            throw new IllegalArgumentException("schedule step: step_size must be >= 1, got " + stepSize);
        }
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("schedule step: gamma must be a finite number > 0, got " + gamma);
        }
    }

    /** Reads a StepLR schedule: {@code step_size} is required, {@code gamma} defaults to 0.1 as in torch. */
    @JsonCreator
    static StepLR fromJson(@JsonProperty("stepSize") Integer stepSize, @JsonProperty("gamma") Double gamma,
                           @JsonProperty("interval") Interval interval) {
        if (stepSize == null) {
            throw new IllegalArgumentException("schedule step needs step_size (epochs, or steps, between decays)");
        }
        return new StepLR(stepSize, gamma != null ? gamma : 0.1, interval);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double lr(double baseLr, long t) {
        return baseLr * Math.pow(gamma, Math.floorDiv(t, stepSize));
    }

    @Override
    public String describe() {
        return "StepLR(step_size=" + stepSize + ", gamma=" + gamma + ", interval=" + interval.id() + ")";
    }
}
