package dev.streamtrain.launcher;

import dev.streamtrain.broker.BrokerSecurity;
import dev.streamtrain.broker.EmbeddedKafkaBroker;
import dev.streamtrain.launcher.options.BrokerSecurityOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code streamtrain broker}: the embedded single-node KRaft broker as its own process. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run a single-node KRaft Kafka broker in this process until interrupted; the other "
                + "commands reach it with --bootstrap-servers.")
final class BrokerCommand extends StreamtrainSubcommand {

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".streamtrain",
            description = "Where the broker keeps its data (default: ${DEFAULT-VALUE}); topics outlive the process.")
    Path stateDir;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
            description = "Client port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--controller-port", paramLabel = "PORT", defaultValue = "0",
            description = "KRaft controller port (default: ${DEFAULT-VALUE}, a free one).")
    int controllerPort;

    @Mixin BrokerSecurityOptions security;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder(stateDir.resolve("kafka"))
                .port(port).controllerPort(controllerPort);
        security.security().ifPresent(builder::security);
        try (EmbeddedKafkaBroker broker = builder.build()) {
            broker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                broker.close();
                stopped.countDown();
            }, "broker-shutdown"));
            out().println("Kafka broker ready: --bootstrap-servers " + broker.bootstrapServers() + " ("
                    + broker.security().map(BrokerCommand::describe).orElse("PLAINTEXT: no authentication, no ACLs")
                    + ")");
            out().println("(state in " + stateDir.toAbsolutePath() + "; Ctrl-C stops it)");
            out().flush();
            stopped.await();
        }
        return ExitCodes.OK;
    }

    private static String describe(BrokerSecurity security) {
        return security.securityProtocol() + " with " + BrokerSecurity.MECHANISM + "; ACLs on; super user"
                + (security.superUsers().size() > 1 ? "s " : " ") + String.join(", ", security.superUsers())
                + "; clients log in with --kafka-config FILE";
    }
}
