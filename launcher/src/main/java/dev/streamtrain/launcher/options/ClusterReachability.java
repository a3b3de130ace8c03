package dev.streamtrain.launcher.options;

import dev.streamtrain.contracts.kafka.Access;
import dev.streamtrain.contracts.kafka.ClusterAccessException;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a cluster for its id before a command uses it, so that an address nobody answers at fails in
 * seconds with one line naming it, not after a minute of Kafka's own retries with a message about
 * topics; and a client the cluster will not let in (wrong password, untrusted certificate) fails
 * with one line naming its principal ({@link ClusterAccessException}).
 */
final class ClusterReachability {

    private ClusterReachability() {
    }

    /** Returns once the cluster at {@code kafka}'s bootstrap servers answers; fails naming them after {@code timeout}. */
    static void require(KafkaSettings kafka, Duration timeout) {
        Object servers = kafka.admin().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        try (Admin admin = Admin.create(kafka.admin())) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).clusterId()
                    .get(millis + 1000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            // Answered, but refused: a wrong password or certificate, said as such.
            ClusterAccessException.of(cause, kafka.admin(), Access.describing()).ifPresent(refused -> {
                throw refused;
            });
            throw new IllegalArgumentException("cannot reach the Kafka cluster at " + servers + " within "
                    + timeout.toMillis() / 1000.0 + " s (" + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                    + "): is --bootstrap-servers right and the cluster up? (--connect-timeout waits longer)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching the Kafka cluster at " + servers, e);
        }
    }
}
