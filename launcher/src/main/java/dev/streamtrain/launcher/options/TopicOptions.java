package dev.streamtrain.launcher.options;

import dev.streamtrain.contracts.topic.TopicNames;
import picocli.CommandLine.Option;

/** The pipeline's topic names; the defaults are the documented ones. */
public final class TopicOptions {

    @Option(names = "--minibatch-topic", paramLabel = "TOPIC", defaultValue = TopicNames.DEFAULT_MINIBATCHES,
            description = "Training minibatches (default: ${DEFAULT-VALUE}).")
    String minibatches;

    @Option(names = "--test-topic", paramLabel = "TOPIC", defaultValue = TopicNames.DEFAULT_TEST_SET,
            description = "Test set (default: ${DEFAULT-VALUE}).")
    String testSet;

    @Option(names = "--snapshot-topic", paramLabel = "TOPIC", defaultValue = TopicNames.DEFAULT_SNAPSHOTS,
            description = "Weight snapshots (default: ${DEFAULT-VALUE}).")
    String snapshots;

    @Option(names = "--metrics-topic", paramLabel = "TOPIC", defaultValue = TopicNames.DEFAULT_METRICS,
            description = "Test metrics (default: ${DEFAULT-VALUE}).")
    String metrics;

    @Option(names = "--runs-topic", paramLabel = "TOPIC", defaultValue = TopicNames.DEFAULT_RUNS,
            description = "Run registry, compacted (default: ${DEFAULT-VALUE}).")
    String runs;

    public TopicNames topics() {
        return new TopicNames(minibatches, testSet, snapshots, metrics, runs);
    }
}
