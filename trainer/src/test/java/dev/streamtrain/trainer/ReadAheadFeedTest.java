package dev.streamtrain.trainer;

import dev.streamtrain.contracts.transform.Normalize;
import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.model.TensorBatch;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The read-ahead thread: order, prepared tensors, failures in their place, and stopping. */
class ReadAheadFeedTest {

    private static final List<TensorTransform> NORMALIZE = List.of(new Normalize(new double[] {0.5},
            new double[] {0.5}));

    private static List<StreamedBatch> stream() {
        return TrainingLoopTest.stream(2, 160, new Sampling(true, false, 1, 0));
    }

    /** The batches of {@code batches}, then {@code end} thrown; counts its calls. */
    private static final class ListFeed implements MinibatchFeed {
        final List<StreamedBatch> batches;
        final RuntimeException end;
        final AtomicInteger calls = new AtomicInteger();

        ListFeed(List<StreamedBatch> batches, RuntimeException end) {
            this.batches = batches;
            this.end = end;
        }

        @Override
        public StreamedBatch next() {
            int call = calls.getAndIncrement();
            if (call < batches.size()) {
                return batches.get(call);
            }
            throw end;
        }
    }

    @Test
    void givesTheFeedsBatchesInOrderWithTheirTensorsMade() {
        List<StreamedBatch> stream = stream();
        ListFeed source = new ListFeed(stream, new SerializationException("end of the test's stream"));
        try (ReadAheadFeed feed = new ReadAheadFeed(source, NORMALIZE, 3, "test")) {
            for (StreamedBatch expected : stream) {
                StreamedBatch batch = feed.next();
                assertThat(batch.offset()).isEqualTo(expected.offset());
                assertThat(batch.batch()).isSameAs(expected.batch());
                assertThat(batch.prepared()).isNotNull();
                TensorBatch made = ToTensor.apply(expected.batch(), NORMALIZE);
                TensorBatch tensors = batch.tensors(List.of(new Normalize(new double[] {0.5}, new double[] {0.5})));
                assertThat(tensors).isSameAs(batch.prepared().tensors());
                assertThat(tensors.features()).isEqualTo(made.features());
                assertThat(tensors.labels()).isEqualTo(made.labels());
                // other transforms than those it was made with: made anew
                assertThat(batch.tensors(List.of()).features()).isEqualTo(ToTensor.apply(expected.batch()).features());
            }
        }
    }

    @Test
    void readsNoMoreThanItsDepthAhead() {
        ListFeed source = new ListFeed(stream(), new SerializationException("end"));
        try (ReadAheadFeed feed = new ReadAheadFeed(source, List.of(), 2, "test")) {
            // two batches queued, a third read and waiting for room
            await().atMost(Duration.ofSeconds(5)).until(() -> source.calls.get() == 3);
            feed.next();
            await().atMost(Duration.ofSeconds(5)).until(() -> source.calls.get() == 4);
            assertThat(source.calls.get()).isEqualTo(4);
        }
    }

    @Test
    void aFailureOfTheFeedComesAfterTheBatchesReadBeforeItAndStays() {
        List<StreamedBatch> stream = stream().subList(0, 3);
        SerializationException bad = new SerializationException("cannot decode minibatch at t-0 offset 3");
        try (ReadAheadFeed feed = new ReadAheadFeed(new ListFeed(stream, bad), List.of(), 8, "test")) {
            List<Long> offsets = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                offsets.add(feed.next().offset());
            }
            assertThat(offsets).containsExactly(0L, 1L, 2L);
            assertThatThrownBy(feed::next).isSameAs(bad);
            assertThatThrownBy(feed::next).isSameAs(bad);
        }
    }

    @Test
    void tensorsThatCannotBeMadeAreLeftToTheTrainingLoop() {
        // three channels' worth of Normalize for single-channel samples: the loop names the problem
        List<TensorTransform> rgb = List.of(new Normalize(new double[] {0.5, 0.5, 0.5}, new double[] {1, 1, 1}));
        ListFeed source = new ListFeed(stream().subList(0, 1), new SerializationException("end"));
        try (ReadAheadFeed feed = new ReadAheadFeed(source, rgb, 2, "test")) {
            StreamedBatch batch = feed.next();
            assertThat(batch.prepared()).isNull();
            assertThatThrownBy(() -> batch.tensors(rgb)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void closeStopsTheReaderWaitingInTheFeed() throws InterruptedException {
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch wokenUp = new CountDownLatch(1);
        MinibatchFeed silent = new MinibatchFeed() {
            @Override
            public StreamedBatch next() {
                waiting.countDown();
                try {
                    wokenUp.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new WakeupException();
            }

            @Override
            public void wakeup() {
                wokenUp.countDown();
            }
        };
        ReadAheadFeed feed = new ReadAheadFeed(silent, List.of(), 2, "silent");
        waiting.await();
        feed.close();
        assertThat(wokenUp.getCount()).isZero();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("read-ahead silent"));
        assertThatThrownBy(feed::next).isInstanceOf(IllegalStateException.class).hasMessage("read-ahead feed is closed");
    }
}
