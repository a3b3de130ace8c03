package dev.streamtrain.launcher.options;

import dev.streamtrain.producer.Pacer;
import picocli.CommandLine.Option;

/** Whether a stream goes on for as long as the producer runs, and how fast its samples come. */
public final class LiveTrafficOptions {

    @Option(names = "--loop",
            description = "An open stream: pass after pass over the training set, each its own seeded shuffle, until "
                    + "stopped (SIGTERM or Ctrl-C); its batches say epochs = 0. Not with --epochs.")
    boolean loop;

    @Option(names = "--rate", paramLabel = "N",
            description = "Send at most N samples a second, standing in for live traffic (default: as fast as the "
                    + "cluster takes them). Time lost to a stall is not made up with a burst.")
    Double rate;

    /** Whether the stream is open. */
    public boolean loop() {
        return loop;
    }

    /** The pacer {@code --rate} asks for, or none. */
    public Pacer pacer() {
        if (rate == null) {
            return Pacer.unpaced();
        }
        if (!(rate > 0) || rate.isInfinite()) {
            throw new IllegalArgumentException("--rate must be a positive number of samples a second, got " + rate);
        }
        return Pacer.perSecond(rate);
    }
}
