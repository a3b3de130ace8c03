package dev.streamtrain.model.schedule;

/** No schedule: the optimizer's {@code lr} throughout (torch without a scheduler). */
public record Constant() implements ScheduleSpec {

    public static final String NAME = "constant";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Interval interval() {
        return Interval.EPOCH;
    }

    @Override
    public double lr(double baseLr, long t) {
        return baseLr;
    }

    @Override
    public String describe() {
        return "constant";
    }
}
