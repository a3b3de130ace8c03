package dev.streamtrain.trainer;

/** How a training run ended: its steps, samples and last snapshot. */
public record TrainingResult(String runId, int epochs, long steps, long samplesSeen, int snapshots,
                             String finalSha256, double lastLoss) {
}
