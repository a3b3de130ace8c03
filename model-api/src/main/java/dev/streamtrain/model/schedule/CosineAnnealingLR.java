package dev.streamtrain.model.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code CosineAnnealingLR(T_max, eta_min=0)}, in torch's closed form:
 * {@code eta_min + (lr - eta_min) * (1 + cos(pi * t / T_max)) / 2} (past {@code T_max} it rises
 * again, as torch's does).
 */
public record CosineAnnealingLR(int tMax, double etaMin, Interval interval) implements ScheduleSpec {

    public static final String NAME = "cosine";

    public CosineAnnealingLR {
        interval = interval == null ? Interval.EPOCH : interval;
        if (tMax < 1) {
            throw new IllegalArgumentException("schedule cosine: t_max must be >= 1, got " + tMax);
        }
        if (!(etaMin >= 0) || Double.isInfinite(etaMin)) {
            throw new IllegalArgumentException("schedule cosine: eta_min must be a finite number >= 0, got " + etaMin);
        }
    }

    /** Reads a CosineAnnealingLR schedule: {@code t_max} is required, {@code eta_min} defaults to 0, as in torch. */
    @JsonCreator
    static CosineAnnealingLR fromJson(@JsonProperty("tMax") Integer tMax, @JsonProperty("etaMin") Double etaMin,
                                      @JsonProperty("interval") Interval interval) {
        if (tMax == null) {
            throw new IllegalArgumentException("schedule cosine needs t_max (epochs, or steps, of one half cosine)");
        }
        return new CosineAnnealingLR(tMax, etaMin != null ? etaMin : 0, interval);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double lr(double baseLr, long t) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2;
    }

    @Override
    public String describe() {
        return "CosineAnnealingLR(T_max=" + tMax + ", eta_min=" + etaMin + ", interval=" + interval.id() + ")";
    }
}
