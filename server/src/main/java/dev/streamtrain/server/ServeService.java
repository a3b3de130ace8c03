package dev.streamtrain.server;

import com.sun.net.httpserver.HttpServer;
import dev.streamtrain.contracts.kafka.ConnectionWatch;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.topic.TopicProvisioner;
import dev.streamtrain.model.Engines;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code streamtrain serve}: serves a run's snapshots until closed. A {@link SnapshotFollower} swaps
 * the served model into a {@link ModelSlot}; HTTP answers {@code POST /predict} from it
 * ({@link PredictHttpHandler}), and, once the first snapshot is served, the Kafka path
 * ({@link PredictionTopology}) answers the requests topic. Meters go to the registry given
 * ({@link ServingMetrics}, and the Kafka Streams client's own).
 */
public final class ServeService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServeService.class);

    static {
        noDelay();
    }

    private final KafkaSettings kafka;
    private final ServeSettings settings;
    private final ModelSlot slot = new ModelSlot();
    private final ServingMetrics metrics;
    private final SnapshotFollower follower;
    private final HttpServer http;
    private final ExecutorService httpThreads;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final AtomicBoolean streamsStarted = new AtomicBoolean();
    private final CompletableFuture<Void> failed = new CompletableFuture<>();
    private ConnectionWatch watch;

    public ServeService(KafkaSettings kafka, ServeSettings settings, MeterRegistry registry) {
        this.kafka = kafka;
        this.settings = settings;
        this.http = bind(settings); // first: a port in use fails before any client is made
        try {
            try (Admin admin = Admin.create(kafka.admin())) {
                TopicProvisioner.ensureTopics(admin, settings.topics(), settings.replication());
                if (settings.kafkaPath()) {
                    TopicProvisioner.ensureTopics(admin, settings.predictTopics(), settings.replication());
                }
            }
            Engines.setMathThreads(Engines.AUTO, settings.mathThreads());
            this.metrics = new ServingMetrics(registry, settings.runId(), slot);
            this.follower = new SnapshotFollower(kafka, settings.topics(), settings.runId(), settings.policy(), slot);
            this.httpThreads = Executors.newFixedThreadPool(settings.httpThreads(), named("serve-http-"));
            http.setExecutor(httpThreads);
            http.createContext(PredictHttpHandler.PATH, new PredictHttpHandler(settings.runId(), slot, metrics));
            if (settings.kafkaPath()) {
                Properties properties = new Properties();
                properties.putAll(PredictionTopology.streamsConfig(kafka, settings));
                StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(properties)));
                PredictionTopology.build(builder, settings.predictTopics(), slot, metrics);
                this.streams = new KafkaStreams(builder.build(), properties);
                this.streams.setUncaughtExceptionHandler(e -> {
                    log.error("the Kafka path of serve failed: {}", e.getMessage(), e);
                    failed.completeExceptionally(e);
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                });
                this.streamsMetrics = new KafkaStreamsMetrics(streams, Tags.of("service", "server"));
                streamsMetrics.bindTo(registry);
            } else {
                this.streams = null;
                this.streamsMetrics = null;
            }
        } catch (RuntimeException e) {
            http.stop(0);
            throw e;
        }
    }

    /**
     * TCP_NODELAY for the JDK's HTTP server: it answers in two writes (headers, then body), and with Nagle's
     * algorithm on a client that delays its ACKs waits ~40 ms for the second (measured: the bench's 13,000
     * single-sample requests took over 10 minutes instead of 7 s). The JDK reads the property once, when its server
     * first loads: call this before any {@code HttpServer} of the process is created (a value set already is kept).
     */
    public static void noDelay() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Starts following the run and answering HTTP; the Kafka path starts with the first snapshot served. */
    public void start() {
        slot.onSwap(model -> {
            if (streams != null && streamsStarted.compareAndSet(false, true)) {
                log.info("first snapshot served; the Kafka path answers {} on {}", settings.predictTopics().requests(),
                        settings.predictTopics().predictions());
                streams.start();
            }
        });
        follower.failure().whenComplete((v, e) -> {
            if (e != null) {
                failed.completeExceptionally(e);
            }
        });
        follower.start();
        http.start();
        if (streams != null) {
            watch = ConnectionWatch.start("server", kafka, streams::metrics, ConnectionWatch.DEFAULT_INTERVAL);
        }
    }

    public ModelSlot slot() {
        return slot;
    }

    /** {@code http://HOST:PORT/predict}. */
    public String predictUrl() {
        InetAddress address = http.getAddress().getAddress();
        String host = address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + http.getAddress().getPort()
                + PredictHttpHandler.PATH;
    }

    /** Completes exceptionally if following the run or the Kafka path fails. */
    public CompletableFuture<Void> failure() {
        return failed;
    }

    /** The Kafka path's state; null when it is off. */
    public KafkaStreams.State kafkaPathState() {
        return streams == null ? null : streams.state();
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        http.stop(0);
        httpThreads.shutdownNow();
        if (streams != null) {
            streamsMetrics.close();
            streams.close(Duration.ofSeconds(30));
        }
        follower.close();
        metrics.close();
    }

    private static HttpServer bind(ServeSettings settings) {
        try {
            return HttpServer.create(new InetSocketAddress(InetAddress.getByName(settings.bind()), settings.port()), 0);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind " + settings.bind() + " is not an address of this machine", e);
        } catch (BindException e) {
            throw new IllegalArgumentException("cannot listen on " + settings.bind() + ":" + settings.port() + " ("
                    + e.getMessage() + "); choose another --port (0 = any free port) or --bind", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve HTTP on port " + settings.port() + ": " + e.getMessage(), e);
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
