package dev.streamtrain.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtrain.launcher.live.LivePage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The live page and its event stream, served by a real MetricsEndpoint and read by a real HTTP client. */
class LivePageTest {

    private static final Tags RUN = Tags.of("run", "live1", "dataset", "fashion-mnist", "model", "mlp");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void pageIsOneSelfContainedDocumentAtTheRootOnly() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(0)) {
            String url = endpoint.serveLivePage();
            assertThat(url).isEqualTo(endpoint.url().replace(MetricsEndpoint.PATH, "/"));
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("new EventSource(\"events\")").doesNotContain("src=", "href=", "https:");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "nothing-here")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aClientGetsTheHistoryThenUpdatesWithPrequentialCurves() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(0)) {
            String url = endpoint.serveLivePage();
            Counter batches = Counter.builder("streamtrain.train.batches").tags(RUN).register(endpoint.registry());
            AtomicReference<Double> window = new AtomicReference<>(0.25);
            Gauge.builder("streamtrain.prequential.accuracy", window, AtomicReference::get)
                    .tags(RUN.and("estimator", "window")).register(endpoint.registry());
            batches.increment();
            // the first sample (at start) may precede the meters: wait for one that has them
            await().atMost(Duration.ofSeconds(10)).until(() -> history(url).path("curves").has("live1"));

            HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(url + "events"))
                    .build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
            try (Stream<String> lines = response.body()) {
                Iterator<String> it = lines.iterator();
                assertThat(it.next()).isEqualTo("retry: 2000");
                assertThat(it.next()).isEmpty();
                assertThat(it.next()).isEqualTo("event: history");
                JsonNode history = data(it.next());
                assertThat(it.next()).as("a blank line ends the event").isEmpty();
                assertThat(history.at("/curves/live1/prequential.accuracy.window/0/v").asDouble()).isEqualTo(0.25);

                window.set(0.75);
                batches.increment();
                List<JsonNode> updates = new ArrayList<>();
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    String line = it.next();
                    if (line.startsWith("data: ")) {
                        updates.add(data(line));
                    }
                    return !updates.isEmpty()
                            && updates.get(updates.size() - 1).at("/curves/live1/prequential.accuracy.window/0/v")
                            .asDouble() == 0.75;
                });
                assertThat(updates.get(updates.size() - 1).at("/status").isObject()).isTrue();
            }
        }
    }

    @Test
    void heldStreamsAreBoundedDoNotBlockScrapesAndAreLetGoWhenClientsLeave() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(0)) {
            String url = endpoint.serveLivePage();
            LivePage page = endpoint.livePage().orElseThrow();
            List<HttpResponse<Stream<String>>> held = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                held.add(http.send(HttpRequest.newBuilder(URI.create(url + "events")).build(),
                        HttpResponse.BodyHandlers.ofLines()));
            }
            assertThat(held).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
            await().atMost(Duration.ofSeconds(5)).until(() -> page.clients() == 16);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "events")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).as("one too many").isEqualTo(503);
            HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create(endpoint.url()))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("jvm_threads_live_threads");

            held.forEach(r -> r.body().close());
            // each handler sees its client gone at its next write (an update or keepalive within seconds)
            await().atMost(Duration.ofSeconds(15)).until(() -> page.clients() == 0);
        }
    }

    @Test
    void closingTheEndpointEndsTheStreams() throws Exception {
        MetricsEndpoint endpoint = MetricsEndpoint.start(0);
        String url = endpoint.serveLivePage();
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(url + "events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> {
            try (Stream<String> lines = response.body()) {
                return lines.count() >= 0;
            } catch (UncheckedIOException e) {
                return true; // cut off mid-stream: ended too
            }
        });
        endpoint.close();
        assertThat(ended).as("the stream ends rather than hanging").succeedsWithin(Duration.ofSeconds(5));
    }

    private JsonNode history(String url) throws Exception {
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(url + "events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            return data(lines.filter(l -> l.startsWith("data: ")).findFirst().orElseThrow());
        }
    }

    private static JsonNode data(String line) throws Exception {
        assertThat(line).startsWith("data: ");
        return JSON.readTree(line.substring("data: ".length()));
    }
}
