package dev.streamtrain.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes a cluster's SCRAM users exactly the given ones: each is created or given its password
 * (SCRAM-SHA-512), and every other SCRAM credential is deleted, so that a user taken out of the
 * users file loses access at the next start. Done on every start, so a changed file takes effect
 * on a restart over the same state dir.
 */
final class ScramUsers {

    /** Kafka's default and minimum for SCRAM-SHA-512, as {@code kafka-configs --add-config} uses. */
    private static final int ITERATIONS = 4096;

    private ScramUsers() {
    }

    static void apply(Admin admin, Map<String, String> users, long timeoutMillis)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        users.forEach((name, password) -> alterations.add(new UserScramCredentialUpsertion(name,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), password)));
        for (UserScramCredentialsDescription existing : admin.describeUserScramCredentials().all()
                .get(timeoutMillis, TimeUnit.MILLISECONDS).values()) {
            for (ScramCredentialInfo credential : existing.credentialInfos()) {
                if (!users.containsKey(existing.name()) || credential.mechanism() != ScramMechanism.SCRAM_SHA_512) {
                    alterations.add(new UserScramCredentialDeletion(existing.name(), credential.mechanism()));
                }
            }
        }
        admin.alterUserScramCredentials(alterations).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
