package dev.streamtrain.producer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PacerTest {

    /** A clock that only moves when the pacer sleeps, or when the test says time passed. */
    private static final class FakeTime {
        long now = 1_000_000_000L;
        final List<Long> sleeps = new ArrayList<>();

        void sleep(long nanos) {
            sleeps.add(nanos);
            now += nanos;
        }
    }

    @Test
    void spacesBatchesByTheirSamplesOverTheRate() throws InterruptedException {
        FakeTime time = new FakeTime();
        Pacer pacer = Pacer.perSecond(1000, () -> time.now, time::sleep);
        long start = time.now;
        pacer.acquire(64); // the first goes at once
        pacer.acquire(64); // 64 ms later
        pacer.acquire(32); // 64 ms after that
        pacer.acquire(64); // 32 ms after that
        assertThat(time.sleeps).containsExactly(64_000_000L, 64_000_000L, 32_000_000L);
        assertThat(time.now - start).isEqualTo(160_000_000L);
    }

    @Test
    void timeSpentSendingCountsTowardsTheWait() throws InterruptedException {
        FakeTime time = new FakeTime();
        Pacer pacer = Pacer.perSecond(1000, () -> time.now, time::sleep);
        pacer.acquire(100);
        time.now += 30_000_000L; // sending took 30 ms of the 100
        pacer.acquire(100);
        assertThat(time.sleeps).containsExactly(70_000_000L);
    }

    @Test
    void aStallIsNotMadeUpForWithABurst() throws InterruptedException {
        FakeTime time = new FakeTime();
        Pacer pacer = Pacer.perSecond(1000, () -> time.now, time::sleep);
        pacer.acquire(100);
        time.now += 5_000_000_000L; // 5 s stalled: 50 batches' worth
        pacer.acquire(100); // goes at once
        pacer.acquire(100); // but the next one waits its 100 ms again
        pacer.acquire(100);
        assertThat(time.sleeps).containsExactly(100_000_000L, 100_000_000L);
    }

    @Test
    void aStopEndsAWaitWithinATenthOfASecondHoweverSlowTheRate() throws InterruptedException {
        FakeTime time = new FakeTime();
        Pacer pacer = Pacer.perSecond(1, () -> time.now, time::sleep);
        assertThat(pacer.acquire(64, () -> false)).isTrue();
        assertThat(pacer.acquire(64, () -> time.sleeps.size() >= 3)).as("stopped 0.3 s into a 64 s wait").isFalse();
        assertThat(time.sleeps).containsExactly(100_000_000L, 100_000_000L, 100_000_000L);
        assertThat(pacer.acquire(1, () -> true)).isFalse();
    }

    @Test
    void holdsTheAverageRateOverManyBatchesOnTheRealClock() throws InterruptedException {
        Pacer pacer = Pacer.perSecond(20_000);
        long start = System.nanoTime();
        for (int i = 0; i < 11; i++) {
            pacer.acquire(200); // 10 ms each after the first
        }
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(100_000_000L);
    }

    @Test
    void unpacedNeverWaits() throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            Pacer.unpaced().acquire(1_000_000); // 1,000,000 samples: would be seconds at any rate
        }
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
        assertThat(Pacer.unpaced().rate()).isZero();
    }

    @Test
    void refusesARateThatIsNotPositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> Pacer.perSecond(0))
                .withMessage("rate must be a positive number of samples a second, got 0.0");
        assertThatIllegalArgumentException().isThrownBy(() -> Pacer.perSecond(Double.NaN));
        assertThatIllegalArgumentException().isThrownBy(() -> Pacer.perSecond(-5));
    }
}
