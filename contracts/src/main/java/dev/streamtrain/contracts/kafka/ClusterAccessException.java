package dev.streamtrain.contracts.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;

import javax.security.auth.login.AppConfigurationEntry;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Kafka cluster refused this client: it could not log in (a wrong user name or password, a
 * TLS handshake that failed), or its principal has no ACL for what it asked. The message is one
 * line naming the principal and, for an ACL, the operation and the resource: {@code User:trainer
 * is not authorized to WRITE topic streamtrain.snapshots}. Neither is retried: the clients give
 * up at once on both, and so does every service.
 */
public final class ClusterAccessException extends RuntimeException {

    private static final String ACLS_HINT = "(the ACLs each service needs: README, Security)";

    private ClusterAccessException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first one among {@code failure} and its causes, if there is one. */
    public static Optional<ClusterAccessException> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClusterAccessException refused) {
                return Optional.of(refused);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code failure} said in terms of the client, if the cluster refused it: a Kafka
     * {@link AuthenticationException} or {@link AuthorizationException} among its causes.
     *
     * @param config the client's Kafka config (bootstrap servers and security), which names the principal
     * @param access what the client asked for, which names the operation
     */
    public static Optional<ClusterAccessException> of(Throwable failure, Map<String, ?> config, Access access) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClusterAccessException refused) {
                return Optional.of(refused);
            }
            if (t instanceof AuthenticationException refused) {
                return Optional.of(new ClusterAccessException(loginFailed(refused, config), failure));
            }
            if (t instanceof AuthorizationException refused) {
                return Optional.of(new ClusterAccessException(principal(config) + " is not authorized to "
                        + what(refused, failure, access) + " " + ACLS_HINT, failure));
            }
        }
        return Optional.empty();
    }

    /** {@link #of} if the cluster refused the client, else {@code failure} itself. */
    public static RuntimeException explain(RuntimeException failure, Map<String, ?> config, Access access) {
        return of(failure, config, access).<RuntimeException>map(e -> e).orElse(failure);
    }

    /** The same for a client of {@code kafka}'s config. */
    public static RuntimeException explain(RuntimeException failure, KafkaSettings kafka, Access access) {
        return explain(failure, kafka.userConfig(), access);
    }

    /**
     * The principal the cluster knows this client as: {@code User:<name>} of the SASL/PLAIN or SCRAM
     * login in {@code sasl.jaas.config} (Kafka's default principal builder), {@code User:ANONYMOUS}
     * without SASL or TLS, else a description.
     */
    static String principal(Map<String, ?> config) {
        String protocol = setting(config, CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                CommonClientConfigs.DEFAULT_SECURITY_PROTOCOL);
        if (!protocol.startsWith("SASL_")) {
            return protocol.equals("SSL") ? "this client's TLS principal" : "User:ANONYMOUS";
        }
        String mechanism = setting(config, SaslConfigs.SASL_MECHANISM, SaslConfigs.DEFAULT_SASL_MECHANISM);
        Object jaas = config.get(SaslConfigs.SASL_JAAS_CONFIG);
        if (jaas != null && (mechanism.equals("PLAIN") || mechanism.startsWith("SCRAM-"))) {
            try {
                Password login = jaas instanceof Password password ? password : new Password(String.valueOf(jaas));
                for (AppConfigurationEntry entry : JaasContext.loadClientContext(
                        Map.of(SaslConfigs.SASL_JAAS_CONFIG, login)).configurationEntries()) {
                    Object user = entry.getOptions().get("username");
                    if (user != null) {
                        return "User:" + user;
                    }
                }
            } catch (IllegalArgumentException unparsable) {
                // Kafka says so when it logs in; here the principal is just unknown
            }
        }
        return "this client's " + mechanism + " principal";
    }

    private static String setting(Map<String, ?> config, String key, String kafkaDefault) {
        Object value = config.get(key);
        return value == null ? kafkaDefault : String.valueOf(value);
    }

    private static String loginFailed(AuthenticationException refused, Map<String, ?> config) {
        String how = refused instanceof SslAuthenticationException ? "TLS"
                : setting(config, CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                CommonClientConfigs.DEFAULT_SECURITY_PROTOCOL) + ", "
                + setting(config, SaslConfigs.SASL_MECHANISM, SaslConfigs.DEFAULT_SASL_MECHANISM);
        String check = refused instanceof SslAuthenticationException
                ? "check ssl.truststore.location and the broker's certificate (--kafka-config)"
                : "check the user name and password in sasl.jaas.config (--kafka-config)";
        return "authentication failed for " + principal(config) + " at "
                + config.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) + " (" + how + "): " + refused.getMessage()
                + "; " + check;
    }

    private static String what(AuthorizationException refused, Throwable failure, Access access) {
        Set<String> topics = refused instanceof TopicAuthorizationException topicRefused
                ? topicRefused.unauthorizedTopics().isEmpty() ? namedIn(failure, access.usedTopics())
                : topicRefused.unauthorizedTopics() : Set.of();
        if (!topics.isEmpty()) {
            Map<String, TreeSet<String>> byOperation = new TreeMap<>();
            topics.forEach(topic -> byOperation.computeIfAbsent(access.operationOn(topic),
                    operation -> new TreeSet<>()).add(topic));
            StringBuilder what = new StringBuilder();
            byOperation.forEach((operation, names) -> what.append(what.isEmpty() ? "" : " and ").append(operation)
                    .append(names.size() == 1 ? " topic " : " topics ").append(String.join(", ", names)));
            return what.toString();
        }
        if (refused instanceof GroupAuthorizationException group && group.groupId() != null) {
            return "READ group " + group.groupId();
        }
        if (refused instanceof TransactionalIdAuthorizationException && access.transactionalIds() != null) {
            return "WRITE " + access.transactionalIds();
        }
        if (refused instanceof ClusterAuthorizationException) {
            return access.clusterOperation() + " on the cluster";
        }
        return "do what it asked: " + refused.getMessage();
    }

    /**
     * Which of {@code topics} the messages of {@code failure}'s chain name: where Kafka's exception
     * names none, one around it may (Kafka Streams' "Could not create topic …").
     */
    private static Set<String> namedIn(Throwable failure, Set<String> topics) {
        Set<String> named = new TreeSet<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            topics.stream().filter(message::contains).forEach(named::add);
        }
        return named;
    }
}
