package dev.streamtrain.contracts.dataset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private Locale locale;

    @BeforeEach
    void fixLocale() {
        // The bar formats numbers in the default locale; pin it so "0.5" is not "0,5".
        locale = Locale.getDefault(Locale.Category.FORMAT);
        Locale.setDefault(Locale.Category.FORMAT, Locale.US);
    }

    @AfterEach
    void restoreLocale() {
        Locale.setDefault(Locale.Category.FORMAT, locale);
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0       | L   0% [                              ] 0.0/2.0 MB",
        "500000  | L  25% [#######                       ] 0.5/2.0 MB",
        "1000000 | L  50% [###############               ] 1.0/2.0 MB",
        "1999999 | L  99% [############################# ] 2.0/2.0 MB",
        "2000000 | L 100% [##############################] 2.0/2.0 MB"})
    void rendersPercentBarAndMegabytes(long done, String expected) {
        assertThat(new ProgressBar(out, "L", 2_000_000).render(done)).isEqualTo(expected);
    }

    @Test
    void rendersTheRealFashionMnistTrainingImages() {
        ProgressBar bar = new ProgressBar(out, "Downloading x", 26_421_880);
        assertThat(bar.render(13_210_940)).isEqualTo("Downloading x  50% [###############               ] 13.2/26.4 MB");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"-1 | 0 | L 0.0 MB", "-1 | 1500000 | L 1.5 MB", "0 | 26421880 | L 26.4 MB"})
    void rendersOnlyMegabytesWhenTheTotalIsUnknown(long total, long done, String expected) {
        assertThat(new ProgressBar(out, "L", total).render(done)).isEqualTo(expected);
    }

    @Test
    void redrawsInPlaceOncePerWholePercent() {
        ProgressBar bar = new ProgressBar(out, "L", 1000);
        bar.update(0);
        bar.update(5);
        bar.update(9);
        bar.update(10);
        bar.update(19);
        bar.update(500);
        assertThat(printed()).isEqualTo(
                "\rL   0% [                              ] 0.0/0.0 MB"
                        + "\rL   1% [                              ] 0.0/0.0 MB"
                        + "\rL  50% [###############               ] 0.0/0.0 MB");
    }

    @Test
    void finishEndsTheLine() {
        ProgressBar bar = new ProgressBar(out, "L", 1000);
        bar.update(1000);
        bar.finish(1000);
        String line = "L 100% [##############################] 0.0/0.0 MB";
        assertThat(printed()).isEqualTo("\r" + line + "\r" + line + System.lineSeparator());
    }

    @Test
    void finishOfAnUnknownTotalPrintsTheSize() {
        ProgressBar bar = new ProgressBar(out, "L", -1);
        bar.finish(2_500_000);
        assertThat(printed()).isEqualTo("\rL 2.5 MB" + System.lineSeparator());
    }

    @Test
    void anUnknownTotalIsRedrawnOncePerMegabyte() {
        ProgressBar bar = new ProgressBar(out, "L", -1);
        bar.update(1);
        bar.update(1 << 19);
        bar.update(1 << 20);
        bar.update((1 << 20) + 5);
        assertThat(printed()).isEqualTo("\rL 0.0 MB\rL 1.0 MB");
    }

    @Test
    void moreThanTheAnnouncedTotalIsShownAsComplete() {
        assertThat(new ProgressBar(out, "L", 1000).render(1500))
                .isEqualTo("L 100% [##############################] 0.0/0.0 MB");
    }
}
