package dev.streamtrain.contracts.dataset;

import java.util.Arrays;

/** The content of one IDX file: its dimensions and its unsigned bytes, row-major. */
public record IdxArray(int[] dims, byte[] data) {

    public IdxArray {
        dims = dims.clone();
    }

    /** Number of items, the first dimension. */
    public int count() {
        return dims[0];
    }

    /** Dimensions of one item (all but the first). */
    public int[] itemShape() {
        return Arrays.copyOfRange(dims, 1, dims.length);
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }
}
