package dev.streamtrain.launcher.options;

import dev.streamtrain.broker.BrokerSecurity;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Authentication and ACLs for the embedded broker of {@code broker} and {@code local}: its SCRAM
 * users from a file, its super users, and TLS. Passwords come from files only, never from the
 * command line (where {@code ps} shows them). One option per setting rather than a Kafka server
 * properties file: each is listed by {@code --help} and checked on its own, with an error naming it.
 */
public final class BrokerSecurityOptions {

    @Option(names = "--sasl-users", paramLabel = "FILE",
            description = "Turn on SASL/SCRAM-SHA-512 and ACLs: the broker's users, a properties file of "
                    + "user=password lines (it becomes the broker's whole user list at each start).")
    Path saslUsers;

    @Option(names = "--super-user", paramLabel = "NAME",
            description = "A user of --sasl-users whom every ACL check lets through: the one who grants the others "
                    + "their ACLs (repeatable; at least one; local's services log in as the first).")
    List<String> superUsers = new ArrayList<>();

    @Option(names = "--ssl-keystore", paramLabel = "FILE",
            description = "With --sasl-users: serve SASL over TLS (SASL_SSL) with this key store (PKCS12 or JKS); its "
                    + "certificate must name 127.0.0.1 among its subject alternative names.")
    Path sslKeystore;

    @Option(names = "--ssl-keystore-password-file", paramLabel = "FILE",
            description = "The file holding the key store's password (also its key's), on its first line.")
    Path sslKeystorePasswordFile;

    @Option(names = "--ssl-truststore", paramLabel = "FILE",
            description = "What the broker's own clients trust (its start-up check; local's services); default: the "
                    + "JVM's trust store.")
    Path sslTruststore;

    @Option(names = "--ssl-truststore-password-file", paramLabel = "FILE",
            description = "The file holding the trust store's password, on its first line.")
    Path sslTruststorePasswordFile;

    /** The broker's security as given, or empty for none (PLAINTEXT); checked, with errors naming the option. */
    public Optional<BrokerSecurity> security() {
        if (saslUsers == null) {
            String needsUsers = !superUsers.isEmpty() ? "--super-user" : sslKeystore != null ? "--ssl-keystore"
                    : sslTruststore != null ? "--ssl-truststore" : null;
            if (needsUsers != null) {
                throw new IllegalArgumentException(needsUsers + " needs --sasl-users FILE (the broker's users)");
            }
            return Optional.empty();
        }
        Map<String, String> users = read(saslUsers, "--sasl-users");
        if (users.isEmpty()) {
            throw new IllegalArgumentException("--sasl-users " + saslUsers + " names no user: write one user=password "
                    + "line per user");
        }
        if (superUsers.isEmpty()) {
            throw new IllegalArgumentException("--sasl-users needs --super-user NAME: a user of " + saslUsers
                    + " who may grant the others their ACLs (one of " + users.keySet().stream().sorted().toList() + ")");
        }
        BrokerSecurity security = BrokerSecurity.scram(users, superUsers);
        if (sslKeystore == null) {
            if (sslTruststore != null) {
                throw new IllegalArgumentException("--ssl-truststore needs --ssl-keystore FILE (TLS on the broker)");
            }
            return Optional.of(security);
        }
        BrokerSecurity.Store keystore = new BrokerSecurity.Store(readable(sslKeystore, "--ssl-keystore"),
                password(sslKeystorePasswordFile, "--ssl-keystore-password-file", "--ssl-keystore"));
        Optional<BrokerSecurity.Store> truststore = Optional.ofNullable(sslTruststore)
                .map(path -> new BrokerSecurity.Store(readable(path, "--ssl-truststore"),
                        password(sslTruststorePasswordFile, "--ssl-truststore-password-file", "--ssl-truststore")));
        return Optional.of(security.withTls(new BrokerSecurity.Tls(keystore, truststore)));
    }

    private static Map<String, String> read(Path file, String option) {
        try {
            return KafkaSettings.readPropertiesFile(readable(file, option));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + option + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static String password(Path file, String option, String of) {
        if (file == null) {
            throw new IllegalArgumentException(of + " needs " + option + " FILE (its password, on the first line)");
        }
        try {
            List<String> lines = Files.readAllLines(readable(file, option));
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new IllegalArgumentException(option + " " + file + " is empty: write the password on its first "
                        + "line");
            }
            return lines.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + option + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path readable(Path file, String option) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(option + " " + file + ": no such readable file");
        }
        return file;
    }
}
