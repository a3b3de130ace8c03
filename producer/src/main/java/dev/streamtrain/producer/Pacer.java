package dev.streamtrain.producer;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Holds a producer to a rate of samples a second, standing in for live traffic: a batch of {@code n}
 * samples may go no sooner than {@code n / rate} seconds after the one before it. Time lost while
 * sending (a slow broker, a pause) is not made up for with a burst: after a stall the next batch goes
 * at once and the pace resumes from there.
 */
public final class Pacer {

    /** Waits {@code nanos} nanoseconds. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private static final long MAX_SLEEP_NANOS = 100_000_000L;
    private static final Pacer UNPACED = new Pacer(0, System::nanoTime, TimeUnit.NANOSECONDS::sleep);

    private final double rate;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private long nextAllowed;
    private boolean started;

    private Pacer(double rate, LongSupplier clock, Sleeper sleeper) {
        this.rate = rate;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** No pacing: every batch goes as soon as it is made. */
    public static Pacer unpaced() {
        return UNPACED;
    }

    /** At most {@code samplesPerSecond} samples a second on average, by the monotonic clock. */
    public static Pacer perSecond(double samplesPerSecond) {
        return perSecond(samplesPerSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    /** The same on a given clock (nanoseconds, monotonic) and sleeper: tests drive both. */
    public static Pacer perSecond(double samplesPerSecond, LongSupplier nanoClock, Sleeper sleeper) {
        if (!(samplesPerSecond > 0) || Double.isInfinite(samplesPerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number of samples a second, got "
                    + samplesPerSecond);
        }
        return new Pacer(samplesPerSecond, nanoClock, sleeper);
    }

    /** Samples a second, or 0 when unpaced. */
    public double rate() {
        return rate;
    }

    /** Blocks until a batch of {@code samples} may go, and counts it as gone. */
    public void acquire(int samples) throws InterruptedException {
        acquire(samples, () -> false);
    }

    /**
     * Blocks until a batch of {@code samples} may go and counts it as gone, or until {@code stop} says
     * so (looked at every 100 ms at most, however slow the rate): then returns false, counting nothing.
     */
    public boolean acquire(int samples, BooleanSupplier stop) throws InterruptedException {
        if (rate == 0) {
            return !stop.getAsBoolean();
        }
        long now = clock.getAsLong();
        long start = started && nextAllowed - now > 0 ? nextAllowed : now;
        while (start - now > 0) {
            if (stop.getAsBoolean()) {
                return false;
            }
            sleeper.sleepNanos(Math.min(start - now, MAX_SLEEP_NANOS));
            now = clock.getAsLong();
        }
        if (stop.getAsBoolean()) {
            return false;
        }
        started = true;
        nextAllowed = start + Math.round(samples * 1e9 / rate);
        return true;
    }
}
