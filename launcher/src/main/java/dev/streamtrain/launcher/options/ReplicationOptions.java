package dev.streamtrain.launcher.options;

import dev.streamtrain.contracts.topic.TopicReplication;
import picocli.CommandLine.Option;

/** How the topics a command creates are replicated; either option left out is the broker's default. */
public final class ReplicationOptions {

    @Option(names = TopicReplication.REPLICATION_FACTOR_OPTION, paramLabel = "N",
            description = "Replicas of each topic this command creates, Kafka Streams' own included (default: the "
                    + "broker's default.replication.factor). A topic that exists is left as it is.")
    Integer replicationFactor;

    @Option(names = TopicReplication.MIN_INSYNC_REPLICAS_OPTION, paramLabel = "N",
            description = "min.insync.replicas of each topic this command creates: how many replicas must have a "
                    + "record before a write is acknowledged; at most --replication-factor (default: the broker's).")
    Integer minInsyncReplicas;

    /** The replication asked for; an invalid one is refused naming the option. */
    public TopicReplication replication() {
        return TopicReplication.ofNullable(replicationFactor, minInsyncReplicas);
    }
}
