package dev.streamtrain.trainer;

import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.contracts.transform.ToTensor;
import org.apache.kafka.common.errors.InterruptException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a {@link MinibatchFeed} ahead on a thread of its own, as a {@code DataLoader} worker does:
 * while the training thread computes a step, the next minibatches are fetched, decoded and made
 * into tensors ({@link ToTensor} and the run's transforms), up to {@code depth} of them. The
 * training thread then takes them ready, so the stream costs it little more than the step.
 *
 * <p>Order, content and errors are the feed's: batches come out in the order the feed gives them,
 * and a failure of the feed (an undecodable record, a deleted offset) is thrown by the
 * {@link #next} that would have returned that record, and by every {@code next} after it. Tensors
 * that cannot be made (a batch the run's transforms do not fit) are left to the training loop,
 * which checks the batch first and names the problem. Batches read ahead of the run's end are
 * dropped with the feed: nothing is committed from here (offsets go in the snapshots'
 * transactions).
 */
public final class ReadAheadFeed implements MinibatchFeed, AutoCloseable {

    /** Minibatches read ahead at most: enough to absorb a slow fetch, little memory (4 x 250 KB for Fashion-MNIST). */
    public static final int DEFAULT_DEPTH = 4;
    private static final Duration JOIN = Duration.ofSeconds(10);
    private static final Duration FAILURE_CHECK = Duration.ofMillis(50);

    private final MinibatchFeed feed;
    private final List<TensorTransform> transforms;
    private final BlockingQueue<StreamedBatch> ready;
    private final Thread reader;
    private volatile boolean closed;
    /** What ended the reading thread, once every batch read before it has been taken. */
    private volatile Throwable failure;

    /**
     * Starts reading {@code feed} (positioned where the run starts) at once.
     *
     * @param transforms the run's transforms after ToTensor
     */
    public ReadAheadFeed(MinibatchFeed feed, List<TensorTransform> transforms, int depth, String name) {
        if (depth < 1) {
            throw new IllegalArgumentException("read-ahead depth must be >= 1, got " + depth);
        }
        this.feed = feed;
        this.transforms = List.copyOf(transforms);
        this.ready = new ArrayBlockingQueue<>(depth);
        this.reader = new Thread(this::readAhead, "read-ahead " + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void readAhead() {
        try {
            while (!closed) {
                StreamedBatch next = feed.next();
                ready.put(prepare(next));
            }
        } catch (InterruptedException e) {
            // closed while waiting for room
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    private StreamedBatch prepare(StreamedBatch batch) {
        if (batch.isSkipped()) {
            return batch;
        }
        try {
            return batch.withTensors(transforms, ToTensor.apply(batch.batch(), transforms));
        } catch (RuntimeException e) {
            return batch;
        }
    }

    @Override
    public StreamedBatch next() {
        return poll(null);
    }

    /** The next batch read ahead, if one is ready within {@code timeout} (null: as long as it takes), else null. */
    @Override
    public StreamedBatch poll(Duration timeout) {
        if (closed) {
            throw new IllegalStateException("read-ahead feed is closed");
        }
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        StreamedBatch batch = ready.poll();
        while (batch == null) {
            // read before looking at the queue: a failure is set after the last batch was put
            Throwable failed = failure;
            if (failed != null && ready.isEmpty()) {
                throw rethrow(failed);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            try {
                batch = ready.poll(Math.min(left, FAILURE_CHECK.toNanos()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }
        return batch;
    }

    private static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        return (RuntimeException) failure;
    }

    @Override
    public void wakeup() {
        feed.wakeup();
    }

    /** Stops the reading thread (the feed itself is its owner's to close, after this). */
    @Override
    public void close() {
        closed = true;
        feed.wakeup();
        reader.interrupt();
        try {
            reader.join(JOIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
