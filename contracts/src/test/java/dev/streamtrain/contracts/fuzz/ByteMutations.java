package dev.streamtrain.contracts.fuzz;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Damaged inputs for the fuzz tests: random bytes, and valid bytes with bytes flipped, inserted, deleted or cut off. */
public final class ByteMutations {

    private ByteMutations() {
    }

    /** Up to {@code maxLength} random bytes (possibly none). */
    public static byte[] randomBytes(SplittableRandom random, int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** {@code valid} with 1-8 bytes flipped, one inserted, one deleted, or cut short; {@code valid} is not changed. */
    public static byte[] mutate(byte[] valid, SplittableRandom random) {
        byte[] bytes = valid.clone();
        int p = random.nextInt(valid.length);
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int i = 1 + random.nextInt(8); i > 0; i--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                return bytes;
            }
            case 1 -> {
                byte[] longer = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, longer, 0, p);
                longer[p] = (byte) random.nextInt(256);
                System.arraycopy(bytes, p, longer, p + 1, bytes.length - p);
                return longer;
            }
            case 2 -> {
                byte[] shorter = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, shorter, 0, p);
                System.arraycopy(bytes, p + 1, shorter, p, bytes.length - p - 1);
                return shorter;
            }
            default -> {
                return Arrays.copyOf(bytes, p);
            }
        }
    }
}
