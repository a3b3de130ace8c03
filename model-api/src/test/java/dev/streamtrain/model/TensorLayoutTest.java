package dev.streamtrain.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowable;

class TensorLayoutTest {

    static Stream<Arguments> sizes() {
        return Stream.of(Arguments.of(new int[] {784, 512}, 401_408L), Arguments.of(new int[] {10}, 10L),
                Arguments.of(new int[] {1, 1, 1, 1, 1, 1, 1, 1}, 1L), Arguments.of(new int[] {2, 3, 4}, 24L),
                Arguments.of(new int[] {Integer.MAX_VALUE, 1}, (long) Integer.MAX_VALUE));
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void sizeIsTheProductOfTheShape(int[] shape, long size) {
        assertThat(new TensorLayout("t", shape).size()).isEqualTo(size);
    }

    @Test
    void shapeIsCopiedInAndOut() {
        int[] shape = {784, 512};
        TensorLayout layout = new TensorLayout("dense0.W", shape);
        shape[0] = 1;
        assertThat(layout.shape()).containsExactly(784, 512);
        layout.shape()[1] = 1;
        assertThat(layout.shape()).containsExactly(784, 512);
    }

    @Test
    void comparesShapesByContent() {
        assertThat(new TensorLayout("w", new int[] {2, 3})).isEqualTo(new TensorLayout("w", new int[] {2, 3}))
                .hasSameHashCodeAs(new TensorLayout("w", new int[] {2, 3}))
                .isNotEqualTo(new TensorLayout("w", new int[] {3, 2}))
                .isNotEqualTo(new TensorLayout("v", new int[] {2, 3}))
                .hasToString("w [2, 3]");
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("", new int[] {1}, "tensor name must not be empty"),
                Arguments.of("w", new int[0], "tensor 'w' must have 1..8 dimensions, got 0"),
                Arguments.of("w", new int[9], "tensor 'w' must have 1..8 dimensions, got 9"),
                Arguments.of("w", new int[] {3, 0}, "tensor 'w' has a dimension < 1: [3, 0]"),
                Arguments.of("w", new int[] {-1}, "tensor 'w' has a dimension < 1: [-1]"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("invalid")
    void rejectsInvalidLayouts(String name, int[] shape, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> new TensorLayout(name, shape)).withMessage(message);
    }

    @Test
    void rejectsNulls() {
        assertThatNullPointerException().isThrownBy(() -> new TensorLayout(null, new int[] {1})).withMessage("name");
        assertThatNullPointerException().isThrownBy(() -> new TensorLayout("w", null)).withMessage("shape");
    }

    @Test
    void aShapeWhoseSizeOverflowsIsRejected() {
        int[] shape = {65536, 65536, 65536, 65536};
        Throwable thrown = catchThrowable(() -> new TensorLayout("w", shape).size());
        assertThat(thrown).as("2^64 values cannot be counted in a long; the layout must be rejected").isNotNull();
    }
}
