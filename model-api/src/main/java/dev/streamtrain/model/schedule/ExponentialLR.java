package dev.streamtrain.model.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code ExponentialLR(gamma)}: {@code lr * gamma ^ t}. */
public record ExponentialLR(double gamma, Interval interval) implements ScheduleSpec {

    public static final String NAME = "exponential";

    public ExponentialLR {
        interval = interval == null ? Interval.EPOCH : interval;
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("schedule exponential: gamma must be a finite number > 0, got "
                    + gamma);
        }
    }

    /** Reads an ExponentialLR schedule: {@code gamma} is required, as in torch. */
    @JsonCreator
    static ExponentialLR fromJson(@JsonProperty("gamma") Double gamma, @JsonProperty("interval") Interval interval) {
        if (gamma == null) {
            throw new IllegalArgumentException("schedule exponential needs gamma (the factor per epoch or step)");
        }
        return new ExponentialLR(gamma, interval);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double lr(double baseLr, long t) {
        return baseLr * Math.pow(gamma, t);
    }

    @Override
    public String describe() {
        return "ExponentialLR(gamma=" + gamma + ", interval=" + interval.id() + ")";
    }
}
