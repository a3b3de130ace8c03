package dev.streamtrain.report;

import dev.streamtrain.contracts.wire.EvaluationResult;
import dev.streamtrain.contracts.wire.TestMetrics;

/** Metrics records as today's evaluator writes them: train accuracy, a named test loop, maybe a validation loop. */
final class Evaluations {

    static final String SHA = "0".repeat(64);

    private Evaluations() {
    }

    /** An evaluation whose accuracy is its confusion matrix's trace over its total. */
    static EvaluationResult result(String split, double avgLoss, long[][] confusion) {
        long total = 0;
        long correct = 0;
        for (int a = 0; a < confusion.length; a++) {
            for (int p = 0; p < confusion.length; p++) {
                total += confusion[a][p];
                correct += a == p ? confusion[a][p] : 0;
            }
        }
        String key = split.equals("test") ? "fashion-mnist/" : "stream/validation/";
        return new EvaluationResult(split, "streamtrain." + split, key, 100, (int) Math.ceil(total / 100.0),
                (int) total, (double) correct / total, avgLoss, confusion);
    }

    /** A record with a test loop over {@code test} and, unless {@code validation} is null, a validation loop. */
    static TestMetrics metrics(String run, int epoch, long step, boolean epochEnd, boolean finalSnapshot,
                               String sha, double trainLoss, double trainAccuracy, EvaluationResult test,
                               EvaluationResult validation) {
        return new TestMetrics(run, "fashion-mnist", "tutorial-mlp", epoch, step, step * 64, epochEnd, finalSnapshot,
                test.accuracy(), test.avgLoss(), test.samples(), sha, 0, 0, trainLoss, trainAccuracy, test,
                validation);
    }

    /** A sha256-like checksum of one repeated hex digit. */
    static String sha(char digit) {
        return String.valueOf(digit).repeat(64);
    }
}
