package dev.streamtrain.contracts.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Says at WARN when a service loses its Kafka cluster and when it has it back: Kafka's clients
 * retry quietly (their own connection messages are below WARN or repeat every second), so without
 * this a service waiting on a dead broker looks like one waiting for data. It watches the clients'
 * {@code connection-count} metrics: all at 0 after having been connected is a lost cluster, any
 * above 0 again is a reconnection. Meant for clients that poll all the time (a consumer, a Kafka
 * Streams application), whose connections an idle timeout never closes.
 */
public final class ConnectionWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectionWatch.class);
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    private final String service;
    private final Object servers;
    private final Supplier<Map<MetricName, ? extends Metric>> metrics;
    private final ScheduledExecutorService timer;
    private boolean connected;
    private long lostAt;

    private ConnectionWatch(String service, Object servers, Supplier<Map<MetricName, ? extends Metric>> metrics,
                            Duration interval) {
        this.service = service;
        this.servers = servers;
        this.metrics = metrics;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "connection-watch " + service);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Watches the clients whose metrics {@code metrics} returns, for {@code service}, every {@code interval}. */
    public static ConnectionWatch start(String service, KafkaSettings kafka,
                                        Supplier<Map<MetricName, ? extends Metric>> metrics, Duration interval) {
        return new ConnectionWatch(service, kafka.admin().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG), metrics, interval);
    }

    private synchronized void check() {
        double connections;
        try {
            connections = metrics.get().entrySet().stream()
                    .filter(e -> e.getKey().name().equals("connection-count"))
                    .mapToDouble(e -> e.getValue().metricValue() instanceof Number n ? n.doubleValue() : 0).sum();
        } catch (RuntimeException e) {
            return; // a client closing under us: nothing to say
        }
        if (connections > 0 && !connected) {
            if (lostAt != 0) {
                log.warn("{}: reconnected to the Kafka cluster at {} after {} s", service, servers,
                        (System.nanoTime() - lostAt) / 1_000_000_000L);
            }
            connected = true;
        } else if (connections == 0 && connected) {
            connected = false;
            lostAt = System.nanoTime();
            log.warn("{}: lost its connection to the Kafka cluster at {}; retrying until it is back", service,
                    servers);
        }
    }

    /** Whether the clients were connected at the last check. */
    public synchronized boolean connected() {
        return connected;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
