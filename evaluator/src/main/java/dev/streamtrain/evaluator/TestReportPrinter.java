package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.wire.TestMetrics;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints the tutorial's test report, labelled with the snapshot it is about, after the
 * validation report when the run has a validation split:
 * <pre>
 * Validation Error: run r1, epoch 1, step 938
 *  Accuracy: 44.1%, Avg loss: 2.163120
 *
 * Test Error: run r1, epoch 1, step 938
 *  Accuracy: 43.7%, Avg loss: 2.165053
 * </pre>
 */
public final class TestReportPrinter implements EvaluationListener {

    private final PrintStream out;

    public TestReportPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onEvaluated(TestMetrics m) {
        out.print(report(m));
        out.flush();
    }

    public static String report(TestMetrics m) {
        String test = block("Test", m, m.accuracy(), m.avgLoss());
        return m.hasValidation() ? block("Validation", m, m.validation().accuracy(), m.validation().avgLoss()) + test
                : test;
    }

    private static String block(String what, TestMetrics m, double accuracy, double avgLoss) {
        return String.format(Locale.ROOT, "%s Error: run %s, epoch %d, step %d%n Accuracy: %.1f%%, Avg loss: %8f %n%n",
                what, m.runId(), m.epoch(), m.step(), 100 * accuracy, avgLoss);
    }
}
