package dev.streamtrain.launcher;

import com.sun.net.httpserver.HttpServer;
import dev.streamtrain.launcher.live.LivePage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a command's meters at {@code http://HOST:PORT/metrics} in the Prometheus text format,
 * with JVM and process meters beside the services' own. Port -1 serves nothing (the meters are
 * still kept, in a registry nobody reads). {@link #serveLivePage()} adds the live page at {@code /}.
 */
final class MetricsEndpoint implements AutoCloseable {

    static final String PATH = "/metrics";
    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final MeterRegistry registry;
    private final HttpServer server;
    private final ExecutorService executor;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private LivePage livePage;

    private MetricsEndpoint(MeterRegistry registry, HttpServer server, ExecutorService executor) {
        this.registry = registry;
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving on 127.0.0.1 at {@code port} (0: any free port; -1: not at all). */
    static MetricsEndpoint start(int port) {
        return start(InetAddress.getLoopbackAddress().getHostAddress(), port);
    }

    /**
     * Starts serving on {@code bind} (an address of this machine; 0.0.0.0: every interface) at
     * {@code port}. Only GET and HEAD are answered; any other method gets 405.
     */
    static MetricsEndpoint start(String bind, int port) {
        if (port < 0) {
            return new MetricsEndpoint(new CompositeMeterRegistry(), null, null);
        }
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bind), port), 0);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--metrics-bind " + bind + " is not an address of this machine", e);
        } catch (BindException e) {
            if (String.valueOf(e.getMessage()).contains("in use")) {
                throw new IllegalArgumentException("metrics port " + port + " is in use; choose another with "
                        + "--metrics-port (0 = any free port, -1 = none)", e);
            }
            throw new IllegalArgumentException("cannot listen on " + bind + ":" + port + " for metrics ("
                    + e.getMessage() + "); choose another --metrics-bind", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve metrics on port " + port + ": " + e.getMessage(), e);
        }
        server.createContext(PATH, exchange -> {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                exchange.close();
                return;
            }
            byte[] body = prometheus.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            if (method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        // A thread per exchange, so a live page's event stream (held open) never delays a scrape; idle
        // threads end after a minute, and the live page bounds how many streams are held at once.
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "metrics-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        MetricsEndpoint endpoint = new MetricsEndpoint(prometheus, server, executor);
        new JvmMemoryMetrics().bindTo(prometheus);
        new JvmThreadMetrics().bindTo(prometheus);
        new ClassLoaderMetrics().bindTo(prometheus);
        new ProcessorMetrics().bindTo(prometheus);
        new UptimeMetrics().bindTo(prometheus);
        endpoint.gc.bindTo(prometheus);
        // meters counted where no registry is handed (streamtrain_records_rejected_total) go to the global one
        Metrics.addRegistry(prometheus);
        return endpoint;
    }

    MeterRegistry registry() {
        return registry;
    }

    /** The URL it serves, or empty when it serves nothing. */
    String url() {
        return server == null ? "" : root() + PATH;
    }

    /**
     * Serves the live page ({@link LivePage}) at {@code /} beside the meters, and logs its URL;
     * does nothing when nothing is served. Returns the page's URL, or empty.
     */
    synchronized String serveLivePage() {
        if (server == null) {
            return "";
        }
        if (livePage == null) {
            livePage = LivePage.serve(server, registry);
            log.info("live page: {}{}", root(), LivePage.PAGE);
        }
        return root() + LivePage.PAGE;
    }

    /** The live page, once {@link #serveLivePage()} started it. */
    synchronized Optional<LivePage> livePage() {
        return Optional.ofNullable(livePage);
    }

    private String root() {
        InetAddress address = server.getAddress().getAddress();
        String host = address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (livePage != null) {
                livePage.close();
            }
        }
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
        gc.close();
        Metrics.removeRegistry(registry);
        registry.close();
    }
}
