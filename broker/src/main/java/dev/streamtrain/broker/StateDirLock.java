package dev.streamtrain.broker;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS file lock on a broker's state dir, held while the broker runs. Kafka locks its
 * log dir only after the KRaft metadata log is already open; a second broker on the same dir
 * (this JVM or another process) would write into that log, corrupt it, and have Kafka halt the JVM.
 */
final class StateDirLock implements AutoCloseable {

    static final String FILE_NAME = "broker.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StateDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws BrokerStartupException if another broker holds the lock */
    static StateDirLock acquire(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        FileChannel channel = FileChannel.open(stateDir.resolve(FILE_NAME),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new BrokerStartupException("state dir " + stateDir + " is in use by another running broker"
                    + " (another streamtrain?); stop that one or choose another state dir");
        }
        return new StateDirLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
