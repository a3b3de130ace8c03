package dev.streamtrain.server;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The model being served, swapped atomically: a prediction takes {@link #current()} once and
 * answers with that snapshot whole, whatever swap happens meanwhile. Empty until the first snapshot
 * is served.
 */
public final class ModelSlot {

    private final AtomicReference<ServedModel> served = new AtomicReference<>();
    private final List<Consumer<ServedModel>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch first = new CountDownLatch(1);

    public Optional<ServedModel> current() {
        return Optional.ofNullable(served.get());
    }

    /** Serves {@code model} from now on, and tells the listeners. */
    public void serve(ServedModel model) {
        served.set(model);
        first.countDown();
        listeners.forEach(l -> l.accept(model));
    }

    /** Calls {@code listener} with every model served after now, on the thread that swaps it in. */
    public void onSwap(Consumer<ServedModel> listener) {
        listeners.add(listener);
    }

    /** Waits up to {@code timeout} for a model to be served; whether one is. */
    public boolean awaitServed(Duration timeout) throws InterruptedException {
        return first.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
