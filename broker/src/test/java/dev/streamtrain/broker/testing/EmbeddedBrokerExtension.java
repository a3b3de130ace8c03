package dev.streamtrain.broker.testing;

import dev.streamtrain.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One real embedded KRaft broker per test class: {@code @RegisterExtension static
 * EmbeddedBrokerExtension kafka = new EmbeddedBrokerExtension();}. Tests isolate themselves with
 * {@link #uniquePrefix()} on their topic names.
 */
public final class EmbeddedBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private EmbeddedKafkaBroker broker;
    private Path stateDir;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        stateDir = Files.createTempDirectory("streamtrain-test-broker");
        broker = EmbeddedKafkaBroker.builder(stateDir).build().start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (broker != null) {
            broker.close();
        }
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** A topic-name prefix no other test of this JVM uses, e.g. {@code t7.}. */
    public String uniquePrefix() {
        return "t" + PREFIXES.incrementAndGet() + ".";
    }
}
