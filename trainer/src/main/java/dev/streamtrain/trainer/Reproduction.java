package dev.streamtrain.trainer;

import dev.streamtrain.contracts.run.RunRecord;
import dev.streamtrain.contracts.wire.WeightSnapshot;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a replay must reproduce of the run it replays, besides its settings: the steps its snapshots
 * were taken at (those of a {@code --snapshot-interval} or of a stop on SIGTERM depend on the
 * clock, not on the settings), and where in its stream it stopped (an open stream's run never
 * finishes: the replay trains up to the same offset, no further).
 *
 * @param snapshotSteps the steps of the original run's snapshots: the replay snapshots at each of them
 * @param endOffset     the original run's next offset: the replay stops once it has read up to there
 */
public record Reproduction(SortedSet<Long> snapshotSteps, long endOffset) {

    public Reproduction {
        snapshotSteps = Collections.unmodifiableSortedSet(new TreeSet<>(snapshotSteps));
        if (endOffset < 0) {
            throw new IllegalArgumentException("end offset must be >= 0, got " + endOffset);
        }
    }

    /** What replaying {@code original}, whose snapshots are {@code snapshots}, must reproduce. */
    public static Reproduction of(RunRecord original, Collection<WeightSnapshot> snapshots) {
        TreeSet<Long> steps = new TreeSet<>();
        snapshots.forEach(s -> steps.add(s.step()));
        return new Reproduction(steps, original.nextOffset());
    }

    /** Whether the original run took a snapshot at {@code step}. */
    boolean snapshotsAt(long step) {
        return snapshotSteps.contains(step);
    }

    /** Whether a replay that has read the stream up to {@code nextOffset} has reached where the original stopped. */
    boolean reached(long nextOffset) {
        return nextOffset >= endOffset;
    }
}
