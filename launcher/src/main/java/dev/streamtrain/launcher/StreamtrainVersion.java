package dev.streamtrain.launcher;

import dev.streamtrain.contracts.run.EnvironmentProbe;
import dev.streamtrain.contracts.run.Environment;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: streamtrain's version and the libraries it trains with. */
final class StreamtrainVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        Environment env = EnvironmentProbe.current(1);
        return new String[] {
                "streamtrain " + env.streamtrainVersion(),
                "Kafka " + env.kafkaVersion() + ", DL4J/ND4J " + env.dl4jVersion(),
                "Java " + env.javaVersion() + " on " + env.os() + " " + env.arch()};
    }
}
