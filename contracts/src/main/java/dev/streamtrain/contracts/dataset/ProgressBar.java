package dev.streamtrain.contracts.dataset;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line text progress bar, redrawn in place with '\r', at most once per whole percent. */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private int lastPercent = -1;

    ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    void update(long done) {
        // Known size: redraw per whole percent; unknown size: per megabyte.
        int percent = total > 0 ? (int) (100 * Math.min(done, total) / total) : (int) (done >> 20);
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        out.print("\r" + render(done));
        out.flush();
    }

    void finish(long done) {
        out.println("\r" + render(done));
    }

    String render(long done) {
        if (total <= 0) {
            return String.format(Locale.ROOT, "%s %.1f MB", label, done / 1e6);
        }
        long shown = Math.min(done, total);
        int filled = (int) (WIDTH * shown / total);
        return String.format(Locale.ROOT, "%s %3d%% [%s%s] %.1f/%.1f MB", label, 100 * shown / total,
                "#".repeat(filled),
                " ".repeat(WIDTH - filled), done / 1e6, total / 1e6);
    }
}
