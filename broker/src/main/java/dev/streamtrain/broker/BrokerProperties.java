package dev.streamtrain.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server properties of the single-node KRaft broker+controller. Every value set here differs
 * from Kafka's default (or has no default), and says why.
 */
final class BrokerProperties {

    static final String HOST = "127.0.0.1";
    static final String BROKER_LISTENER = "PLAINTEXT";
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
        Map<String, String> p = new LinkedHashMap<>();
        // One JVM is the whole cluster: it is both the broker and its own KRaft controller.
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID)); // required in KRaft; must match meta.properties
        // Static one-voter quorum: no KIP-853 dynamic voters to bootstrap, and ports may change on restart.
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER); // required when the node is a controller
        // Loopback only: this broker is for the processes on this machine.
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + port + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + port); // clients never see CONTROLLER
        // The default map has no CONTROLLER entry.
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
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
        p.putAll(overrides);
        return p;
    }
}
