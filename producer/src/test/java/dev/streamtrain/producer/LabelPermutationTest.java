package dev.streamtrain.producer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LabelPermutationTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 10, 100, 256})
    void mapsEveryClassToAnotherOneInOneCycle(int classes) {
        for (long seed = 0; seed < 50; seed++) {
            LabelPermutation p = LabelPermutation.derangement(classes, seed);
            Set<Integer> images = new HashSet<>();
            for (int c = 0; c < classes; c++) {
                assertThat(p.apply(c)).as("seed %d class %d", seed, c).isNotEqualTo(c).isBetween(0, classes - 1);
                images.add(p.apply(c));
            }
            assertThat(images).hasSize(classes);
            int length = 0;
            int c = 0;
            do {
                c = p.apply(c);
                length++;
            } while (c != 0);
            assertThat(length).as("Sattolo's algorithm makes one cycle").isEqualTo(classes);
        }
    }

    @Test
    void isTheSattoloShuffleOfTheSeedAsDocumented() {
        // docs/wire-format.md, section 3.4: SplittableRandom(42); i = 9..1: swap(i, nextInt(i)).
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        int[] to = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        for (int i = 9; i >= 1; i--) {
            int j = random.nextInt(i);
            int t = to[i];
            to[i] = to[j];
            to[j] = t;
        }
        LabelPermutation p = LabelPermutation.derangement(10, 42);
        int[] documented = {9, 4, 7, 2, 3, 8, 0, 6, 1, 5};
        for (int c = 0; c < 10; c++) {
            assertThat(p.apply(c)).isEqualTo(to[c]).isEqualTo(documented[c]);
        }
        assertThat(LabelPermutation.derangement(10, 43).toString()).isNotEqualTo(p.toString());
    }

    @Test
    void mapsLabelArraysAsUnsignedBytes() {
        LabelPermutation p = LabelPermutation.derangement(256, 7);
        byte[] labels = {(byte) 255, 0, (byte) 128};
        assertThat(p.apply(labels)).containsExactly((byte) p.apply(255), (byte) p.apply(0), (byte) p.apply(128));
        assertThat(labels).containsExactly((byte) 255, 0, (byte) 128);
    }

    @Test
    void refusesFewerThanTwoClasses() {
        assertThatIllegalArgumentException().isThrownBy(() -> LabelPermutation.derangement(1, 0))
                .withMessage("permuting labels needs 2 to 256 classes, got 1");
    }
}
