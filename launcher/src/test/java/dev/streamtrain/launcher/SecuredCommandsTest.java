package dev.streamtrain.launcher;

import dev.streamtrain.broker.BrokerSecurity;
import dev.streamtrain.broker.testing.TestCertificates;
import dev.streamtrain.contracts.dataset.FashionMnist;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code local} and {@code broker} given {@code --sasl-users}, {@code --super-user} and TLS: the
 * command line of the embedded broker's security, its checks, and what the commands print.
 */
class SecuredCommandsTest {

    @TempDir
    static Path tmp;
    private static Path users;
    private static BrokerSecurity.Tls tls;
    private static Path keystorePassword;
    private static Path truststorePassword;

    @BeforeAll
    static void usersAndCertificates() throws Exception {
        users = Files.writeString(tmp.resolve("users.properties"), "admin=admin-secret\ntrainer=trainer-secret\n");
        tls = TestCertificates.selfSigned(Files.createDirectories(tmp.resolve("tls")), "ip:127.0.0.1,dns:localhost");
        keystorePassword = Files.writeString(tmp.resolve("keystore.password"), TestCertificates.PASSWORD + "\n");
        truststorePassword = Files.writeString(tmp.resolve("truststore.password"), TestCertificates.PASSWORD + "\n");
    }

    @Test
    void localRunsThePipelineOverSaslSslWithItsServicesLoggedInAsTheSuperUser() throws Exception {
        Path data = SyntheticIdxDataset.write(tmp.resolve("data"), new FashionMnist(), 100, 50, 3);
        Path state = tmp.resolve("local");
        List<String> args = new ArrayList<>(List.of("local", "--data", data.toString(), "--no-download",
                "--state-dir", state.toString(), "--run-id", "over-tls", "--epochs", "1", "--batch-size", "50",
                "--test-batch-size", "50", "--metrics-port", "-1"));
        args.addAll(securityOptions());
        CommandRun run = CommandRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("Kafka broker at 127\\.0\\.0\\.1:\\d+ \\(SASL_SSL, services log in as "
                + "admin; state in ").contains("Test Error: run over-tls, epoch 1, step 2", "Run over-tls: final accuracy");
    }

    @Test
    void brokerSaysItsAddressAndProtocolAndTakesClientsThatLogInWithKafkaConfig() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                StreamtrainCommand.class.getName(), "broker", "--port", "0", "--state-dir",
                tmp.resolve("broker").toString()));
        command.addAll(securityOptions());
        Path out = tmp.resolve("broker.out");
        Process broker = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(tmp.resolve("broker.err").toFile()).start();
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90))
                    .until(() -> Files.readString(out).contains("Kafka broker ready") || !broker.isAlive());
            String ready = Files.readString(out).lines().filter(l -> l.startsWith("Kafka broker ready")).findFirst()
                    .orElse(Files.readString(out));
            assertThat(ready).as(Files.readString(tmp.resolve("broker.err"))).matches("Kafka broker ready: "
                    + "--bootstrap-servers 127\\.0\\.0\\.1:\\d+ \\(SASL_SSL with SCRAM-SHA-512; ACLs on; super user "
                    + "admin; clients log in with --kafka-config FILE\\)");
            String address = ready.split(" ")[4];

            CommandRun admin = CommandRun.of("runs", "--bootstrap-servers", address, "--kafka-config",
                    clientProperties("admin", "admin-secret", true).toString());
            assertThat(admin.exitCode()).as(admin.err()).isZero();
            assertThat(admin.out()).contains("No runs on streamtrain.runs yet");

            CommandRun wrong = CommandRun.of("runs", "--bootstrap-servers", address, "--kafka-config",
                    clientProperties("trainer", "guess", true).toString());
            assertThat(wrong.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(wrong.err()).startsWith("error: authentication failed for User:trainer at " + address
                    + " (SASL_SSL, SCRAM-SHA-512): ").hasLineCount(1);

            CommandRun untrusted = CommandRun.of("runs", "--bootstrap-servers", address, "--kafka-config",
                    clientProperties("admin", "admin-secret", false).toString());
            assertThat(untrusted.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(untrusted.err()).startsWith("error: authentication failed for User:admin at " + address
                    + " (TLS): ").endsWith("; check ssl.truststore.location and the broker's certificate "
                    + "(--kafka-config)\n").hasLineCount(1);
        } finally {
            broker.destroy();
            if (!broker.waitFor(30, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    @Test
    void securityOptionsAreCheckedBeforeAnythingStarts() throws Exception {
        String state = tmp.resolve("unstarted").toString();
        Path empty = Files.writeString(tmp.resolve("empty.password"), "");
        String[][] cases = {
                {"--super-user", "admin"},
                {"--sasl-users", users.toString()},
                {"--sasl-users", tmp.resolve("nobody.properties").toString(), "--super-user", "admin"},
                {"--sasl-users", users.toString(), "--super-user", "root"},
                {"--sasl-users", users.toString(), "--super-user", "admin", "--ssl-keystore",
                        tls.keystore().path().toString()},
                {"--sasl-users", users.toString(), "--super-user", "admin", "--ssl-keystore",
                        tls.keystore().path().toString(), "--ssl-keystore-password-file", empty.toString()}};
        String[] errors = {
                "error: --super-user needs --sasl-users FILE (the broker's users)",
                "error: --sasl-users needs --super-user NAME: a user of " + users
                        + " who may grant the others their ACLs (one of [admin, trainer])",
                "error: --sasl-users " + tmp.resolve("nobody.properties") + ": no such readable file",
                "error: super user root is not one of the SASL users [admin, trainer]; it needs a password there",
                "error: --ssl-keystore needs --ssl-keystore-password-file FILE (its password, on the first line)",
                "error: --ssl-keystore-password-file " + empty + " is empty: write the password on its first line"};
        for (String command : List.of("broker", "local")) {
            for (int i = 0; i < cases.length; i++) {
                List<String> args = new ArrayList<>(List.of(command, "--state-dir", state));
                args.addAll(List.of(cases[i]));
                CommandRun run = CommandRun.of(args.toArray(String[]::new));
                assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.INVALID_INPUT);
                assertThat(run.err()).as(String.join(" ", args)).isEqualTo(errors[i] + "\n");
            }
        }
        assertThat(Path.of(state)).as("no broker was started").doesNotExist();
    }

    private static List<String> securityOptions() {
        return List.of("--sasl-users", users.toString(), "--super-user", "admin",
                "--ssl-keystore", tls.keystore().path().toString(),
                "--ssl-keystore-password-file", keystorePassword.toString(),
                "--ssl-truststore", tls.truststore().orElseThrow().path().toString(),
                "--ssl-truststore-password-file", truststorePassword.toString());
    }

    /** A client.properties for SASL_SSL as the README shows it; without the trust store, if {@code trusting} is false. */
    private static Path clientProperties(String user, String password, boolean trusting) throws IOException {
        String text = "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";\n";
        if (trusting) {
            text += "ssl.truststore.location=" + tls.truststore().orElseThrow().path() + "\n"
                    + "ssl.truststore.password=" + TestCertificates.PASSWORD + "\n";
        }
        return Files.writeString(tmp.resolve(user + "-" + password + "-" + trusting + ".properties"), text);
    }
}
