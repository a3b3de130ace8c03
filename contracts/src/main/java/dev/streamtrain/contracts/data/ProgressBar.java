package dev.streamtrain.contracts.data;

import java.io.PrintStream;

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
        int percent = total > 0 ? (int) (100 * done / total) : -1;
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
            return String.format("%s %.1f MB", label, done / 1e6);
        }
        int filled = (int) (WIDTH * done / total);
        return String.format("%s %3d%% [%s%s] %.1f/%.1f MB", label, 100 * done / total, "#".repeat(filled),
                " ".repeat(WIDTH - filled), done / 1e6, total / 1e6);
    }
}
