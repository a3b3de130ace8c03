package dev.streamtrain.launcher;

import dev.streamtrain.contracts.dataset.Datasets;
import dev.streamtrain.contracts.wire.EvaluationResult;
import dev.streamtrain.contracts.wire.TestMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One snapshot's per-class results as {@code snapshots --classes} prints them: each class's test
 * (and validation) accuracy and sample count, then the test confusion matrix, rows the actual
 * class, columns the predicted one.
 */
final class ClassResultsTable {

    private ClassResultsTable() {
    }

    static String of(TestMetrics m, String dataset) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Snapshot epoch %d, step %d (sha256 %s…)%n", m.epoch(), m.step(),
                m.snapshotSha256().substring(0, 12)));
        EvaluationResult test = m.test();
        if (test == null) {
            return out.append("  no per-class results: the metrics record predates them\n").toString();
        }
        List<String> names = classNames(dataset, test.classes());
        int width = Math.max(5, names.stream().mapToInt(String::length).max().orElse(5));
        EvaluationResult validation = m.validation();
        out.append(String.format(Locale.ROOT, "  %-" + width + "s %9s %8s", "CLASS", "TEST ACC", "SAMPLES"));
        out.append(validation != null ? String.format(Locale.ROOT, " %9s %8s%n", "VAL ACC", "SAMPLES") : "\n");
        double[] testAccuracy = test.classAccuracy();
        long[][] confusion = test.confusion();
        for (int c = 0; c < test.classes(); c++) {
            out.append(String.format(Locale.ROOT, "  %-" + width + "s %9s %8d", names.get(c), percent(testAccuracy[c]),
                    rowSum(confusion[c])));
            if (validation != null) {
                out.append(String.format(Locale.ROOT, " %9s %8d", percent(validation.classAccuracy()[c]),
                        rowSum(validation.confusion()[c])));
            }
            out.append('\n');
        }
        out.append(String.format(Locale.ROOT, "  Test confusion matrix (rows: actual, columns: predicted)%n  %-"
                + width + "s", ""));
        for (int c = 0; c < test.classes(); c++) {
            out.append(String.format(Locale.ROOT, " %6d", c));
        }
        out.append('\n');
        for (int actual = 0; actual < test.classes(); actual++) {
            out.append(String.format(Locale.ROOT, "  %-" + width + "s", names.get(actual)));
            for (long n : confusion[actual]) {
                out.append(String.format(Locale.ROOT, " %6d", n));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The dataset's class names when it is a registered one with as many classes, else the indexes. */
    static List<String> classNames(String dataset, int classes) {
        if (Datasets.isRegistered(dataset) && Datasets.get(dataset).classNames().size() == classes) {
            return Datasets.get(dataset).classNames();
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add(Integer.toString(c));
        }
        return names;
    }

    private static long rowSum(long[] row) {
        long sum = 0;
        for (long n : row) {
            sum += n;
        }
        return sum;
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
