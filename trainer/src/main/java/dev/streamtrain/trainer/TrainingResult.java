package dev.streamtrain.trainer;

import dev.streamtrain.contracts.run.RunStatus;

/**
 * How a training run ended: its steps, samples and last snapshot, and its status: {@code FINISHED},
 * or {@code RUNNING} when the trainer stopped before the run's end (on request, as on SIGTERM, or
 * where a replay reached the original's last offset); a restart resumes it.
 *
 * @param epochs the run's epochs, or the epoch it stopped in when it is still running
 */
public record TrainingResult(String runId, int epochs, long steps, long samplesSeen, int snapshots,
                             String finalSha256, double lastLoss, RunStatus status) {

    /** Whether the trainer stopped before the run's end: the run goes on where a restart resumes it. */
    public boolean stopped() {
        return status == RunStatus.RUNNING;
    }
}
