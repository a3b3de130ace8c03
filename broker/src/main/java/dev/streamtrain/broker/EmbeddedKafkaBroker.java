package dev.streamtrain.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node Apache Kafka cluster inside this JVM: one KRaft process that is both broker
 * and controller, built from Kafka's own server classes ({@link KafkaRaftServer}), listening on
 * {@code 127.0.0.1} only.
 *
 * <p>Its data lives under {@code <stateDir>/kafka-logs}. The first {@link #start()} formats that
 * directory (a new cluster id goes into {@code meta.properties}); later starts on the same state
 * dir reuse it, so topics, records and committed offsets survive a restart, also on other ports.
 * Internal topics have one replica, so transactions and Kafka Streams {@code exactly_once_v2}
 * work; records may be up to 64 MiB (producers must raise {@code max.request.size} to send more
 * than 1 MiB).
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(stateDir).port(9092).build().start()) {
 *     runPipeline(broker.bootstrapServers());
 * }
 * }</pre>
 *
 * <p>With {@link Builder#security(BrokerSecurity)} clients log in with SASL/SCRAM-SHA-512, over
 * {@code SASL_PLAINTEXT} or, with TLS, {@code SASL_SSL}; Kafka's {@code StandardAuthorizer} allows
 * nothing without an ACL except to the super users. Every start makes the cluster's SCRAM users
 * exactly the given ones ({@link ScramUsers}); ACLs are cluster metadata, kept across restarts. The
 * broker logs in to itself on two more listeners on {@code 127.0.0.1}, the controller's and an
 * inter-broker one, with SASL/PLAIN and a password made at each start ({@link InternalListener}),
 * so no listener takes requests without a login.
 *
 * <p>One instance starts once; to restart, close it and build another on the same state dir. A
 * running broker holds a lock on its state dir ({@code broker.lock}): a second one on the same dir,
 * in this JVM or another process, fails to start instead of corrupting the first one's data.
 *
 * <p>Kafka's server classes log a lot at INFO under the {@code kafka}, {@code org.apache.kafka}
 * and {@code state.change.logger} loggers; set those to WARN.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** The command-line options that set the two ports, named in "port in use" errors. */
    static final String PORT_OPTION = "--port";
    static final String CONTROLLER_PORT_OPTION = "--controller-port";

    private final Path stateDir;
    private final int requestedPort;
    private final int requestedControllerPort;
    private final Map<String, String> overrides;
    private final Duration startupTimeout;
    private final BrokerSecurity security;

    private StateDirLock stateDirLock;
    private KafkaRaftServer server;
    private int port;
    private String clusterId;
    private boolean started;
    private boolean closed;

    private EmbeddedKafkaBroker(Builder builder) {
        this.stateDir = builder.stateDir.toAbsolutePath();
        this.requestedPort = builder.port;
        this.requestedControllerPort = builder.controllerPort;
        this.overrides = Map.copyOf(builder.overrides);
        this.startupTimeout = builder.startupTimeout;
        this.security = builder.security;
    }

    /** Starts configuring a broker whose data lives under {@code stateDir}. */
    public static Builder builder(Path stateDir) {
        return new Builder(stateDir);
    }

    /**
     * Formats the storage if it is new, starts the broker and controller, and returns once the
     * broker answers an Admin {@code describeCluster} request; a secured broker, once its SCRAM users
     * are in place and the first super user has logged in on the client listener.
     *
     * @return this broker, started
     * @throws BrokerStartupException if a port is taken, the storage is unusable, or the broker
     *                                does not answer within the startup timeout
     * @throws IllegalStateException  if this broker was started or closed before
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (started || closed) {
            throw new IllegalStateException("an EmbeddedKafkaBroker starts once; build a new one to restart");
        }
        started = true;
        long t0 = System.nanoTime();
        port = LocalPorts.resolve(requestedPort, PORT_OPTION, Set.of());
        int controllerPort = LocalPorts.resolve(requestedControllerPort, CONTROLLER_PORT_OPTION, Set.of(port));
        InternalListener internal = security == null ? null
                : InternalListener.withRandomPassword(LocalPorts.resolve(0, "(none)", Set.of(port, controllerPort)));
        Path logDir = stateDir.resolve("kafka-logs");
        long deadline = t0 + startupTimeout.toNanos();
        try {
            stateDirLock = StateDirLock.acquire(stateDir);
            Properties props = new Properties();
            props.putAll(security == null
                    ? BrokerProperties.singleNode(logDir, port, controllerPort, startupTimeout, overrides)
                    : BrokerProperties.secured(logDir, port, controllerPort, internal, security, startupTimeout,
                    overrides));
            KafkaConfig config = KafkaConfig.fromProps(props, false); // false: no 300-line config dump
            clusterId = KRaftStorage.formatIfNeeded(config);
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            if (security == null) {
                awaitDescribeCluster(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()), deadline);
            } else {
                awaitUsers(internal, deadline);
            }
        } catch (Exception e) {
            shutdownQuietly();
            releaseStateDirLock();
            throw asStartupFailure(e, controllerPort, logDir);
        }
        log.info("Kafka broker up at {} ({}) in {} ms (cluster {}, data in {})", bootstrapServers(),
                securityProtocol(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), clusterId, logDir);
        return this;
    }

    /** {@code "127.0.0.1:<port>"}, for the clients' {@code bootstrap.servers}. */
    public synchronized String bootstrapServers() {
        if (port == 0) {
            throw new IllegalStateException("broker not started: its port is picked by start()");
        }
        return BrokerProperties.HOST + ":" + port;
    }

    /** {@code PLAINTEXT}, or with security {@code SASL_PLAINTEXT} or {@code SASL_SSL}: what clients set as {@code security.protocol}. */
    public String securityProtocol() {
        return security == null ? "PLAINTEXT" : security.securityProtocol();
    }

    /** Who may use this broker, if it is secured. */
    public Optional<BrokerSecurity> security() {
        return Optional.ofNullable(security);
    }

    /**
     * The Kafka client configs that reach this secured broker as {@code user}: {@code bootstrap.servers}
     * and {@link BrokerSecurity#clientConfig}.
     */
    public synchronized Map<String, Object> clientConfig(String user) {
        if (security == null) {
            throw new IllegalStateException("this broker is not secured: its clients need bootstrap.servers alone");
        }
        Map<String, Object> config = new HashMap<>(security.clientConfig(user));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /** The state dir given to the builder, as an absolute path; Kafka's data is in its {@code kafka-logs}. */
    public Path stateDir() {
        return stateDir;
    }

    /** The cluster id stored in {@code meta.properties}; the same on every start from one state dir. */
    public synchronized String clusterId() {
        if (clusterId == null) {
            throw new IllegalStateException("broker not started");
        }
        return clusterId;
    }

    /** Shuts the broker and controller down cleanly and waits until they have; does nothing if closed. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            long t0 = System.nanoTime();
            server.shutdown();
            server.awaitShutdown();
            server = null;
            log.info("Kafka broker at {}:{} stopped in {} ms", BrokerProperties.HOST, port,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
        releaseStateDirLock();
    }

    /**
     * A secured broker is ready once it answers on its own listener, has the SCRAM users written, and
     * has them in its credential cache (applied from the metadata log): the first super user logs in
     * on the client listener, over TLS if it has it.
     */
    private void awaitUsers(InternalListener internal, long deadlineNanos) throws Exception {
        awaitDescribeCluster(internal.adminConfig(), deadlineNanos);
        try (Admin admin = Admin.create(internal.adminConfig())) {
            ScramUsers.apply(admin, security.users(), millisUntil(deadlineNanos));
        }
        awaitDescribeCluster(clientConfig(security.superUsers().get(0)), deadlineNanos);
    }

    /** Returns once a client configured by {@code login} gets an answer to describeCluster; fails at the deadline. */
    private void awaitDescribeCluster(Map<String, Object> login, long deadlineNanos) throws InterruptedException {
        int budgetMs = (int) Math.max(1_000, millisUntil(deadlineNanos));
        Map<String, Object> adminConfig = new HashMap<>(login);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, budgetMs);
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(budgetMs, 5_000));
        Object address = login.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        Exception lastError = null;
        try (Admin admin = Admin.create(adminConfig)) {
            for (long left; (left = deadlineNanos - System.nanoTime()) > 0; Thread.sleep(50)) {
                try {
                    if (!admin.describeCluster().nodes().get(left, TimeUnit.NANOSECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof SslAuthenticationException tls) {
                        throw new BrokerStartupException("Kafka broker on " + address + " is up, but a TLS "
                                + "handshake with it fails: " + tls.getMessage() + " (the key store's certificate must "
                                + "name " + BrokerProperties.HOST + " among its subject alternative names, and the "
                                + "trust store trust it)", tls);
                    }
                    lastError = e; // a SaslAuthenticationException until the broker has the credentials
                } catch (TimeoutException e) {
                    lastError = e;
                }
            }
        }
        throw new BrokerStartupException("Kafka broker on " + address
                + " did not answer an Admin describeCluster request within " + startupTimeout.toSeconds()
                + " s (raise the startup timeout if this machine is slow)", lastError);
    }

    private static long millisUntil(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private BrokerStartupException asStartupFailure(Exception e, int controllerPort, Path logDir) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (e instanceof BrokerStartupException startup) {
            return startup;
        }
        // Lost a race for a port between our check and Kafka's bind.
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("failed to bind to " + BrokerProperties.HOST + ":" + port + ":")) {
                return LocalPorts.inUse(port, PORT_OPTION, e);
            }
            if (message.contains("failed to bind to " + BrokerProperties.HOST + ":" + controllerPort + ":")) {
                return LocalPorts.inUse(controllerPort, CONTROLLER_PORT_OPTION, e);
            }
        }
        return new BrokerStartupException("Kafka broker failed to start on " + BrokerProperties.HOST + ":" + port
                + " with data in " + logDir + ": " + e, e);
    }

    private void shutdownQuietly() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException suppressed) {
            log.warn("error while shutting down a broker that failed to start", suppressed);
        } finally {
            server = null;
        }
    }

    private void releaseStateDirLock() {
        if (stateDirLock == null) {
            return;
        }
        try {
            stateDirLock.close();
        } catch (IOException e) {
            log.warn("could not release the lock on {}", stateDir, e);
        } finally {
            stateDirLock = null;
        }
    }

    /** Configures an {@link EmbeddedKafkaBroker}; only the state dir is required. */
    public static final class Builder {
        private final Path stateDir;
        private int port;
        private int controllerPort;
        private final Map<String, String> overrides = new HashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(60);
        private BrokerSecurity security;

        private Builder(Path stateDir) {
            this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
        }

        /** The client port (PLAINTEXT, or SASL with {@link #security}); 0, the default, picks a free one at start. */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** The KRaft controller port; 0, the default, picks a free one at start. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort);
            return this;
        }

        /**
         * Kafka server properties that replace this class's (e.g. {@code log.retention.hours}).
         * Leave the listeners alone: {@link #bootstrapServers()} reports the ports set here.
         */
        public Builder brokerProperties(Map<String, String> properties) {
            overrides.putAll(properties);
            return this;
        }

        /**
         * Clients must log in with SASL/SCRAM as one of {@code security}'s users (over TLS if it has
         * it), and need ACLs for everything but what super users do; none, the default: PLAINTEXT,
         * no authentication, no ACLs.
         */
        public Builder security(BrokerSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /** How long {@link #start()} may take before it fails; 60 s by default. */
        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startup timeout must be positive, got " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535 (0 = any free port), got " + port);
            }
            return port;
        }
    }
}
