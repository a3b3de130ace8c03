package dev.streamtrain.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The live page in a real browser: a small {@code local} pipeline (embedded broker, generated
 * data with a validation split) runs while headless Chromium shows its page, and the curves the
 * page draws appear and then grow. With {@code -Dlivepage.screenshot=docs/images/live-page.png}
 * it also writes the README's screenshot, taken mid-run.
 */
class LivePageInChromiumTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    /** Points of every curve the page has drawn: the polylines' vertices, read from the SVG. */
    static final String DRAWN_POINTS =
            "[...document.querySelectorAll('svg polyline')].reduce((n, p) => n + p.points.numberOfItems, 0)";
    private static final Logger log = LoggerFactory.getLogger(LivePageInChromiumTest.class);

    @Test
    void curvesOfARunningLocalPipelineAppearAndGrow(@TempDir Path temp) throws Exception {
        assumeTrue(Files.isExecutable(ChromiumDevTools.CHROMIUM), "no " + ChromiumDevTools.CHROMIUM
                + ": install Debian's chromium (.ci/run does) to test the live page in a browser");
        TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
        String screenshot = System.getProperty("livepage.screenshot", "");
        // The screenshot's run is longer and learns slower, for curves with something to show.
        boolean shot = !screenshot.isEmpty();
        ImageDataset train = SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, shot ? 12_000 : 3000, 1);
        ImageDataset test = SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 200, 2);
        // a snapshot every 20 batches: test and validation points come during the run, not only at its end
        LocalRun run = new LocalRun("live", shot ? 3 : 2, 50, 100, new Sampling(true, false, 42, 300), 42,
                TrainingRecipe.tutorial(shot ? 0.002 : 0.05), shot ? 40 : 20, 1, topics, false);
        Path state = Files.createDirectories(temp.resolve("state"));
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(0);
             ChromiumDevTools chromium = ChromiumDevTools.start(temp.resolve("profile"), 1130, 470)) {
            String url = endpoint.serveLivePage();
            CompletableFuture<LocalResult> done = CompletableFuture.supplyAsync(() -> {
                try {
                    return new LocalPipeline(KafkaSettings.of(KAFKA.bootstrapServers()), state,
                            new PrintStream(OutputStream.nullOutputStream()), endpoint.registry())
                            .run(run, train, test);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            chromium.navigate(url);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> drawn(chromium) > 0);
            int first = drawn(chromium);
            assertThat(done).as("the run is still going, so the curves can grow").isNotDone();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> drawn(chromium) > first);
            assertThat(chromium.evaluate("document.querySelector('section[data-run=\"live\"] h2').textContent")
                    .asText()).isEqualTo("run live");
            assertThat(chromium.evaluate("document.querySelectorAll('polyline[data-series=\"train\"]').length")
                    .asInt()).as("train loss and accuracy").isEqualTo(2);

            if (shot) {
                // mid-run: 8 of its 17 snapshots evaluated, each a test and a validation dot in both charts
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                        chromium.evaluate("document.querySelectorAll('circle').length").asInt() >= 4 * 8);
                chromium.screenshot(Path.of(screenshot), 1130, 470);
                log.info("live page screenshot in {} (run done: {})", Path.of(screenshot).toAbsolutePath(),
                        done.isDone());
            }
            done.get(120, TimeUnit.SECONDS);
        }
    }

    private static int drawn(ChromiumDevTools chromium) throws Exception {
        JsonNode n = chromium.evaluate(DRAWN_POINTS);
        return n == null ? 0 : n.asInt();
    }
}
