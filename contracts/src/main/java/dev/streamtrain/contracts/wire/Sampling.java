package dev.streamtrain.contracts.wire;

/**
 * How the producer made a stream from its dataset's training file, as {@code DataLoader} and
 * {@code random_split} would: carried by every minibatch record from version 2 on, and recorded
 * in the run spec ({@code loader}). The algorithms are in docs/wire-format.md, section 3.4.
 *
 * @param shuffle        a new seeded permutation every epoch ({@code DataLoader(shuffle=True)})
 * @param dropLast       each epoch's last, smaller batch dropped ({@code DataLoader(drop_last=True)})
 * @param seed           seed of the validation split and the shuffles
 * @param validationSize samples of the training file carved off as the validation split; 0: none
 */
public record Sampling(boolean shuffle, boolean dropLast, long seed, int validationSize) {

    /** Test and validation batches: the file's (or split's) order, every sample. */
    public static final Sampling IN_ORDER = new Sampling(false, false, 0, 0);

    public Sampling {
        if (validationSize < 0) {
            throw new IllegalArgumentException("validationSize must be >= 0, got " + validationSize);
        }
    }

    public boolean hasValidation() {
        return validationSize > 0;
    }

    /** As the DataLoader arguments read, e.g. {@code shuffle=true, drop_last=false, seed=42, val_size=6000}. */
    public String describe() {
        return "shuffle=" + shuffle + ", drop_last=" + dropLast + ", seed=" + seed + ", val_size=" + validationSize;
    }
}
