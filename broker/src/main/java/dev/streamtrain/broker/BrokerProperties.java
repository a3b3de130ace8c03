package dev.streamtrain.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The server properties of the single-node KRaft broker+controller. Every value set here differs
 * from Kafka's default (or has no default), and says why.
 */
final class BrokerProperties {

    static final String HOST = "127.0.0.1";
    static final String BROKER_LISTENER = "PLAINTEXT";
    /** The client listener of a secured broker: SASL_PLAINTEXT or SASL_SSL. */
    static final String CLIENT_LISTENER = "CLIENT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final int NODE_ID = 1;
    /** Snapshot records of model weights are large; clients must raise max.request.size to match. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private BrokerProperties() {
    }

    /**
     * @param logDir         where Kafka keeps its data and metadata log
     * @param port           the bound client port (not 0)
     * @param controllerPort the bound controller port (not 0)
     * @param startupTimeout how long the broker may take to catch up with the controller
     * @param overrides      extra properties that replace ours
     */
    static Map<String, String> singleNode(Path logDir, int port, int controllerPort, Duration startupTimeout,
                                          Map<String, String> overrides) {
        Map<String, String> p = common(logDir, controllerPort, startupTimeout);
        // Loopback only: this broker is for the processes on this machine.
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + port + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + port); // clients never see CONTROLLER
        // The default map has no CONTROLLER entry.
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.putAll(overrides);
        return p;
    }

    /**
     * The same broker with authentication and ACLs: clients on {@code port} log in with SASL/SCRAM
     * ({@code SASL_PLAINTEXT}, or {@code SASL_SSL} with TLS); the broker logs in to itself as
     * {@link InternalListener} says; the {@code StandardAuthorizer} allows nothing without an ACL,
     * except to the super users.
     */
    static Map<String, String> secured(Path logDir, int port, int controllerPort, InternalListener internal,
                                       BrokerSecurity security, Duration startupTimeout,
                                       Map<String, String> overrides) {
        Map<String, String> p = common(logDir, controllerPort, startupTimeout);
        String client = CLIENT_LISTENER.toLowerCase(Locale.ROOT);
        String controller = CONTROLLER_LISTENER.toLowerCase(Locale.ROOT);
        String inter = InternalListener.NAME.toLowerCase(Locale.ROOT);
        // Loopback only, as unsecured; INTERNAL is the broker's own (inter-broker requests to itself).
        p.put("listeners", CLIENT_LISTENER + "://" + HOST + ":" + port + ","
                + InternalListener.NAME + "://" + HOST + ":" + internal.port() + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        // Clients bootstrap from CLIENT and are told CLIENT addresses only; INTERNAL must be advertised to be used.
        p.put("advertised.listeners", CLIENT_LISTENER + "://" + HOST + ":" + port + ","
                + InternalListener.NAME + "://" + HOST + ":" + internal.port());
        p.put("listener.security.protocol.map", CLIENT_LISTENER + ":" + security.securityProtocol() + ","
                + InternalListener.NAME + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":SASL_PLAINTEXT");
        p.put("inter.broker.listener.name", InternalListener.NAME); // default: the first listener, CLIENT
        // Clients: SCRAM alone. The server side of SCRAM needs a JAAS entry, with no options.
        p.put("listener.name." + client + ".sasl.enabled.mechanisms", BrokerSecurity.MECHANISM);
        p.put("listener.name." + client + "." + BrokerSecurity.MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        // The broker itself: PLAIN with one user, on the two listeners it alone uses.
        for (String listener : new String[] {inter, controller}) {
            p.put("listener.name." + listener + ".sasl.enabled.mechanisms", InternalListener.MECHANISM);
            p.put("listener.name." + listener + ".plain.sasl.jaas.config", internal.serverJaasConfig());
        }
        p.put("sasl.mechanism.inter.broker.protocol", InternalListener.MECHANISM);
        p.put("sasl.mechanism.controller.protocol", InternalListener.MECHANISM);
        security.tls().ifPresent(tls -> {
            BrokerSecurity.Store keystore = tls.keystore();
            p.put("listener.name." + client + ".ssl.keystore.location", keystore.path().toAbsolutePath().toString());
            p.put("listener.name." + client + ".ssl.keystore.password", keystore.password());
            p.put("listener.name." + client + ".ssl.key.password", keystore.password()); // one password, as keytool makes
            p.put("listener.name." + client + ".ssl.keystore.type", keystore.type());
        });
        // ACLs in the cluster metadata; no ACL means no access, except for the super users.
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        StringBuilder superUsers = new StringBuilder("User:" + InternalListener.USER);
        security.superUsers().forEach(name -> superUsers.append(";User:").append(name));
        p.put("super.users", superUsers.toString());
        p.putAll(overrides);
        return p;
    }

    /** What every single node has, whatever its listeners. */
    private static Map<String, String> common(Path logDir, int controllerPort, Duration startupTimeout) {
        Map<String, String> p = new LinkedHashMap<>();
        // One JVM is the whole cluster: it is both the broker and its own KRaft controller.
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID)); // required in KRaft; must match meta.properties
        // Static one-voter quorum: no KIP-853 dynamic voters to bootstrap, and ports may change on restart.
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER); // required when the node is a controller
        p.put("log.dirs", logDir.toString()); // keep data under our state dir, not /tmp/kafka-logs
        // One broker: internal topics cannot have the default 3 replicas / min.isr 2.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1"); // transactions / exactly_once_v2
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1"); // share groups, should anyone use them
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0"); // no 3 s wait before the first consumer group assignment
        p.put("auto.create.topics.enable", "false"); // a typo in a topic name fails instead of making a new topic
        p.put("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES)); // weight snapshots are large records
        // Bound the broker's wait for the controller, so start() fails instead of hanging.
        p.put("server.max.startup.time.ms", String.valueOf(startupTimeout.toMillis()));
        return p;
    }
}
