package dev.streamtrain.broker;

import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Formats KRaft storage (what {@code kafka-storage.sh format} does) for a node's log directories,
 * but only those without a {@code meta.properties} yet, so the data and cluster id of an earlier
 * run survive a restart.
 */
final class KRaftStorage {

    private static final Logger log = LoggerFactory.getLogger(KRaftStorage.class);

    private KRaftStorage() {
    }

    /**
     * Formats every unformatted log directory of {@code config} and returns the cluster id: the one
     * already in meta.properties, or a new random one for fresh storage.
     */
    static String formatIfNeeded(KafkaConfig config) throws Exception {
        Set<String> dirs = new TreeSet<>(config.logDirs());
        dirs.add(config.metadataLogDir());
        for (String dir : dirs) {
            Files.createDirectories(Path.of(dir));
        }
        MetaPropertiesEnsemble existing = new MetaPropertiesEnsemble.Loader().addLogDirs(dirs).load();
        String clusterId = existing.clusterId().orElseGet(() -> Uuid.randomUuid().toString());
        if (existing.emptyLogDirs().isEmpty()) {
            return clusterId; // all formatted (unreadable ones are left for the server to report)
        }
        // The Formatter narrates to System.out; keep that text for the debug log instead.
        ByteArrayOutputStream narration = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(narration, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(out)
                    .setNodeId(config.nodeId())
                    .setClusterId(clusterId)
                    .setDirectories(dirs)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setControllerListenerName(config.controllerListenerNames().get(0))
                    // Leave already-formatted directories alone (an added log dir next to an old one).
                    .setIgnoreFormatted(true)
                    .run();
        }
        log.debug("formatted KRaft storage, cluster id {}: {}", clusterId,
                narration.toString(StandardCharsets.UTF_8).strip());
        return clusterId;
    }
}
