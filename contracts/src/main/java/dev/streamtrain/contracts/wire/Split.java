package dev.streamtrain.contracts.wire;

/** Which part of a dataset a minibatch comes from; its code is the byte on the wire. */
public enum Split {
    TRAIN(0),
    TEST(1);

    private final int code;

    Split(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Split fromCode(int code) {
        for (Split split : values()) {
            if (split.code == code) {
                return split;
            }
        }
        throw new IllegalArgumentException("unknown split code " + code + " (0 = train, 1 = test)");
    }
}
