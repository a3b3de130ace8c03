package dev.streamtrain.broker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may use the embedded broker: its SASL/SCRAM-SHA-512 users with their passwords, the super
 * users among them (whom every ACL check lets through), and optionally TLS on the client listener.
 * With security the broker's client listener is {@code SASL_PLAINTEXT} (or {@code SASL_SSL} with
 * {@link #tls}), Kafka's {@code StandardAuthorizer} is on and nothing is allowed without an ACL.
 *
 * @param users      user name to password: the broker's SCRAM-SHA-512 users, and all of them (on every start
 *                   the broker creates or updates each, and deletes any other SCRAM user)
 * @param superUsers the names of the users every ACL check lets through; at least one (who else could
 *                   grant ACLs?), each one of {@code users}
 * @param tls        the client listener's key store (and the trust store its clients use), if it is SASL_SSL
 */
public record BrokerSecurity(Map<String, String> users, List<String> superUsers, Optional<Tls> tls) {

    /** The only SASL mechanism of the client listener. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    public BrokerSecurity {
        users = Map.copyOf(users);
        superUsers = List.copyOf(superUsers);
        Objects.requireNonNull(tls, "tls");
        if (users.isEmpty()) {
            throw new IllegalArgumentException("a secured broker needs at least one SASL user (name=password)");
        }
        users.forEach((name, password) -> {
            if (name.isBlank() || InternalListener.USER.equals(name)) {
                throw new IllegalArgumentException("SASL user name '" + name + "' is "
                        + (name.isBlank() ? "empty" : "reserved for the broker itself") + "; choose another");
            }
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("SASL user " + name + " has an empty password");
            }
        });
        if (superUsers.isEmpty()) {
            throw new IllegalArgumentException("a secured broker needs a super user, to grant the other users their "
                    + "ACLs; name one of the SASL users " + users.keySet().stream().sorted().toList());
        }
        for (String superUser : superUsers) {
            if (!users.containsKey(superUser)) {
                throw new IllegalArgumentException("super user " + superUser + " is not one of the SASL users "
                        + users.keySet().stream().sorted().toList() + "; it needs a password there");
            }
        }
    }

    /** SASL/SCRAM on a plaintext client listener. */
    public static BrokerSecurity scram(Map<String, String> users, List<String> superUsers) {
        return new BrokerSecurity(users, superUsers, Optional.empty());
    }

    /** The same users over TLS: a SASL_SSL client listener. */
    public BrokerSecurity withTls(Tls tls) {
        return new BrokerSecurity(users, superUsers, Optional.of(tls));
    }

    /** {@code SASL_SSL} with TLS, else {@code SASL_PLAINTEXT}: the clients' {@code security.protocol}. */
    public String securityProtocol() {
        return tls.isPresent() ? "SASL_SSL" : "SASL_PLAINTEXT";
    }

    /**
     * The Kafka client configs (all but {@code bootstrap.servers}) that log in as {@code user}: what
     * a {@code client.properties} for this broker holds.
     */
    public Map<String, String> clientConfig(String user) {
        String password = users.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no SASL user " + user + " on this broker");
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("security.protocol", securityProtocol());
        config.put("sasl.mechanism", MECHANISM);
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username="
                + quoted(user) + " password=" + quoted(password) + ";");
        tls.flatMap(Tls::truststore).ifPresent(store -> {
            config.put("ssl.truststore.location", store.path().toString());
            config.put("ssl.truststore.password", store.password());
            config.put("ssl.truststore.type", store.type());
        });
        return config;
    }

    /** A value of a JAAS option, in double quotes, its quotes and backslashes escaped. */
    static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Masks the passwords. */
    @Override
    public String toString() {
        return "BrokerSecurity[" + securityProtocol() + " " + MECHANISM + ", users " + users.keySet().stream().sorted()
                .toList() + ", super users " + superUsers + "]";
    }

    /**
     * TLS on the client listener.
     *
     * @param keystore   the broker's key and certificate, whose subject alternative names must include
     *                   {@code 127.0.0.1} (clients check the host name)
     * @param truststore what the broker's own clients (its start-up check, {@code local}'s services)
     *                   trust; empty: the JVM's default trust store
     */
    public record Tls(Store keystore, Optional<Store> truststore) {

        public Tls {
            Objects.requireNonNull(keystore, "keystore");
            Objects.requireNonNull(truststore, "truststore");
        }
    }

    /** A key or trust store file and its password; its type (JKS or PKCS12) follows from the file name. */
    public record Store(Path path, String password) {

        public Store {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(password, "password");
        }

        /** {@code PKCS12} for {@code .p12} and {@code .pfx}, else {@code JKS} (which reads PKCS12 files too). */
        public String type() {
            String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
            return name.endsWith(".p12") || name.endsWith(".pfx") ? "PKCS12" : "JKS";
        }

        @Override
        public String toString() {
            return "Store[" + path + "]";
        }
    }
}
