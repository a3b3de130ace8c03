package dev.streamtrain.launcher;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What Ctrl-C or SIGTERM does to a long-running command: a JVM shutdown hook asks the command to
 * stop, then holds the JVM's exit (a minute at most) until the command has committed what it did,
 * said so and closed. Closing this, when the command is done, ends that wait and removes the hook.
 */
final class StopOnShutdown implements AutoCloseable {

    private static final long MAX_WAIT_SECONDS = 60;

    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread hook;

    private StopOnShutdown(String name, BooleanSupplier stop) {
        this.hook = new Thread(() -> {
            if (stop.getAsBoolean()) {
                awaitEnd();
            }
        }, name);
    }

    /**
     * Installs a hook named {@code name} that calls {@code stop}, which asks the command to stop and
     * says whether there is anything to wait for (false: the JVM exits at once).
     */
    static StopOnShutdown install(String name, BooleanSupplier stop) {
        StopOnShutdown shutdown = new StopOnShutdown(name, stop);
        Runtime.getRuntime().addShutdownHook(shutdown.hook);
        return shutdown;
    }

    private void awaitEnd() {
        try {
            ended.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        ended.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: nothing to remove
        }
    }
}
