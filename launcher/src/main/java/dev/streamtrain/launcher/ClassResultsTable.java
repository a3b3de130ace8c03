package dev.streamtrain.launcher;

import dev.streamtrain.contracts.dataset.Datasets;
import dev.streamtrain.contracts.wire.EvaluationResult;
import dev.streamtrain.contracts.wire.TestMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-class results as the commands print them: each class's test (and validation) accuracy and
 * sample count ({@code snapshots --classes}, {@code report}), and the test confusion matrix, rows
 * the actual class, columns the predicted one ({@code snapshots --classes}).
 */
final class ClassResultsTable {

    private ClassResultsTable() {
    }

    /** A snapshot's per-class table and test confusion matrix, under a line naming the snapshot. */
    static String of(TestMetrics m, String dataset) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Snapshot epoch %d, step %d (sha256 %s…)%n", m.epoch(), m.step(),
                m.snapshotSha256().substring(0, 12)));
        EvaluationResult test = m.test();
        if (test == null) {
            return out.append("  no per-class results: the metrics record predates them\n").toString();
        }
        List<String> names = classNames(dataset, test.classes());
        out.append(classes(test, m.validation(), names));
        int width = width(names);
        out.append(String.format(Locale.ROOT, "  Test confusion matrix (rows: actual, columns: predicted)%n  %-"
                + width + "s", ""));
        for (int c = 0; c < test.classes(); c++) {
            out.append(String.format(Locale.ROOT, " %6d", c));
        }
        out.append('\n');
        long[][] confusion = test.confusion();
        for (int actual = 0; actual < test.classes(); actual++) {
            out.append(String.format(Locale.ROOT, "  %-" + width + "s", names.get(actual)));
            for (long n : confusion[actual]) {
                out.append(String.format(Locale.ROOT, " %6d", n));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** One row per class: its test accuracy and samples, and its validation ones when {@code validation} is given. */
    static String classes(EvaluationResult test, EvaluationResult validation, List<String> names) {
        int width = width(names);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "  %-" + width + "s %9s %8s", "CLASS",
                "TEST ACC", "SAMPLES"));
        out.append(validation != null ? String.format(Locale.ROOT, " %9s %8s%n", "VAL ACC", "SAMPLES") : "\n");
        double[] testAccuracy = test.classAccuracy();
        long[] testSamples = test.classSamples();
        for (int c = 0; c < test.classes(); c++) {
            out.append(String.format(Locale.ROOT, "  %-" + width + "s %9s %8d", names.get(c), percent(testAccuracy[c]),
                    testSamples[c]));
            if (validation != null) {
                out.append(String.format(Locale.ROOT, " %9s %8d", percent(validation.classAccuracy()[c]),
                        validation.classSamples()[c]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** A registered dataset's class names, in label order; null for a dataset of one's own. */
    static List<String> registeredNames(String dataset) {
        return Datasets.isRegistered(dataset) ? Datasets.get(dataset).classNames() : null;
    }

    /** The dataset's class names when it is a registered one with as many classes, else the indexes. */
    static List<String> classNames(String dataset, int classes) {
        List<String> registered = registeredNames(dataset);
        if (registered != null && registered.size() == classes) {
            return registered;
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add(Integer.toString(c));
        }
        return names;
    }

    private static int width(List<String> names) {
        return Math.max(5, names.stream().mapToInt(String::length).max().orElse(5));
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
