package dev.streamtrain.launcher.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live page of a command's metrics port: {@code /} is one self-contained HTML page (inline
 * script and SVG, nothing fetched from elsewhere) that draws, per run, the train and prequential
 * curves, test and validation accuracy and loss per evaluated snapshot, and the served snapshot;
 * {@code /events} streams them to it as server-sent events, sampled from the registry every
 * {@link #PERIOD_MILLIS}. Event {@code history} (all points so far) comes first, then one
 * {@code update} per sample with the new points; both carry every run's status values.
 */
public final class LivePage implements AutoCloseable {

    public static final String PAGE = "/";
    public static final String EVENTS = "/events";
    static final long PERIOD_MILLIS = 1_000;
    /** Points kept per curve: at one a second, a quarter of an hour of a busy run. */
    static final int CAPACITY = 1_000;
    static final int MAX_CLIENTS = 16;
    private static final Logger log = LoggerFactory.getLogger(LivePage.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CurveHistory history = new CurveHistory(CAPACITY);
    private final MeterSampler sampler;
    private final EventStream events = new EventStream(MAX_CLIENTS);
    private final ScheduledExecutorService ticker;
    private final byte[] html;

    private LivePage(MeterRegistry registry) {
        this.sampler = new MeterSampler(registry, history, System::nanoTime);
        this.html = page();
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "live-page-sampler");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Adds {@code /} and {@code /events} to {@code server} (whose executor must have a thread per
     * event-stream client to spare, beside those answering {@code /metrics}) and starts sampling.
     */
    public static LivePage serve(HttpServer server, MeterRegistry registry) {
        LivePage page = new LivePage(registry);
        server.createContext(PAGE, page::page);
        server.createContext(EVENTS, exchange -> page.events.serve(exchange, page::historyFrame));
        page.ticker.scheduleAtFixedRate(page::tick, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return page;
    }

    private void tick() {
        try {
            MeterSampler.Update update = sampler.sample();
            events.publish(EventStream.frame("update", json(Map.of("t", update.t(), "curves", update.curves(),
                    "status", update.status()))));
        } catch (RuntimeException e) {
            // a failed sample must not end the schedule: the next one may well work
            log.warn("live page sample failed: {}", e.toString());
        }
    }

    private String historyFrame() {
        return EventStream.frame("history", json(Map.of("curves", history.curves(), "status", history.status())));
    }

    private void page(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(PAGE)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(html);
            }
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write live page event as JSON: " + e.getMessage(), e);
        }
    }

    private static byte[] page() {
        try (InputStream in = LivePage.class.getResourceAsStream("live.html")) {
            if (in == null) {
                throw new IllegalStateException("live.html is missing from the classpath beside LivePage");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connected event-stream clients. */
    public int clients() {
        return events.clients();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        events.close();
    }
}
