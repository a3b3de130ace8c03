package dev.streamtrain.producer;

import java.util.SplittableRandom;

/**
 * A seeded derangement of the class labels {@code 0 … n−1}: every class is mapped to another one,
 * never to itself. Made by Sattolo's algorithm on {@code SplittableRandom(seed)}: start from the
 * identity and, for {@code i} = n−1 down to 1, swap positions {@code i} and {@code nextInt(i)}. The
 * result is one cycle through all n labels ({@code docs/wire-format.md}, section 3.4).
 */
public final class LabelPermutation {

    private final byte[] mapping;

    private LabelPermutation(byte[] mapping) {
        this.mapping = mapping;
    }

    /** The derangement of {@code classes} labels (2 to 256) that {@code seed} makes. */
    public static LabelPermutation derangement(int classes, long seed) {
        if (classes < 2 || classes > 256) {
            throw new IllegalArgumentException("permuting labels needs 2 to 256 classes, got " + classes);
        }
        int[] to = new int[classes];
        for (int i = 0; i < classes; i++) {
            to[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = classes - 1; i >= 1; i--) {
            int j = random.nextInt(i);
            int swap = to[i];
            to[i] = to[j];
            to[j] = swap;
        }
        byte[] mapping = new byte[classes];
        for (int i = 0; i < classes; i++) {
            mapping[i] = (byte) to[i];
        }
        return new LabelPermutation(mapping);
    }

    /** The label class {@code label} becomes. */
    public int apply(int label) {
        return Byte.toUnsignedInt(mapping[label]);
    }

    /** {@code labels} (unsigned bytes), each mapped; a new array. */
    public byte[] apply(byte[] labels) {
        byte[] mapped = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            mapped[i] = mapping[Byte.toUnsignedInt(labels[i])];
        }
        return mapped;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < mapping.length; i++) {
            s.append(i == 0 ? "" : " ").append(i).append("->").append(apply(i));
        }
        return s.toString();
    }
}
