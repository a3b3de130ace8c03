package dev.streamtrain.launcher;

import dev.streamtrain.broker.BrokerSecurity;
import dev.streamtrain.broker.testing.TestCertificates;
import dev.streamtrain.contracts.dataset.FashionMnist;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
}
