package dev.streamtrain.broker.testing;

import dev.streamtrain.broker.BrokerSecurity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code 127.0.0.1}, made with the JDK's {@code keytool}: the
 * broker's PKCS12 key store and a trust store holding its certificate, for tests of SASL_SSL.
 */
public final class TestCertificates {

    public static final String PASSWORD = "test-store-secret";

    private TestCertificates() {
    }

    /** A key store whose certificate names {@code subjectAlternativeNames} (e.g. {@code ip:127.0.0.1}), and its trust store, in {@code dir}. */
    public static BrokerSecurity.Tls selfSigned(Path dir, String subjectAlternativeNames)
            throws IOException, InterruptedException {
        Path keystore = dir.resolve("broker.p12");
        Path certificate = dir.resolve("broker.pem");
        Path truststore = dir.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=streamtrain test broker", "-ext", "SAN=" + subjectAlternativeNames,
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
                "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        return new BrokerSecurity.Tls(new BrokerSecurity.Store(keystore, PASSWORD),
                Optional.of(new BrokerSecurity.Store(truststore, PASSWORD)));
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
