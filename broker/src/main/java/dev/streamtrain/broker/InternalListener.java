package dev.streamtrain.broker;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * How a secured broker logs in to itself: user {@value #USER}, a super user, over SASL/PLAIN on
 * two listeners that only it uses, both on {@code 127.0.0.1}: {@code CONTROLLER} (the broker half
 * talks to the controller half) and {@value #NAME} (inter-broker requests, such as the transaction
 * coordinator's commit markers, which a single node sends to itself). Its password is random on
 * every start and never leaves this JVM. Not SCRAM: SCRAM credentials live in the metadata the
 * controller serves, so the controller cannot check them before it has started (KAFKA-15513). The
 * users' SCRAM credentials are written over this listener ({@link ScramUsers}).
 *
 * @param port     the port of the {@value #NAME} listener
 * @param password this start's password of {@value #USER}
 */
record InternalListener(int port, String password) {

    static final String USER = "streamtrain-broker";
    static final String NAME = "INTERNAL";
    static final String MECHANISM = "PLAIN";

    static InternalListener withRandomPassword(int port) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new InternalListener(port, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The server's JAAS config for PLAIN on CONTROLLER and {@value #NAME}: {@value #USER} is its one user. */
    String serverJaasConfig() {
        return loginModule() + " user_" + USER + "=" + BrokerSecurity.quoted(password) + ";";
    }

    /** An Admin client that logs in as {@value #USER} on the {@value #NAME} listener. */
    Map<String, Object> adminConfig() {
        return Map.of(
                "bootstrap.servers", BrokerProperties.HOST + ":" + port,
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", loginModule() + ";");
    }

    private String loginModule() {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username="
                + BrokerSecurity.quoted(USER) + " password=" + BrokerSecurity.quoted(password);
    }

    @Override
    public String toString() {
        return "InternalListener[" + port + "]";
    }
}
