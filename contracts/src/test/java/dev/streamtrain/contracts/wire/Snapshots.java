package dev.streamtrain.contracts.wire;

import dev.streamtrain.model.TensorLayout;

import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunSpecFixture;
import dev.streamtrain.contracts.topic.TopicNames;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/** Valid weight snapshots for tests, and an independent SHA-256 of float parameters. */
final class Snapshots {

    static final List<TensorLayout> LAYOUT = List.of(new TensorLayout("w", new int[] {3, 2}),
            new TensorLayout("b", new int[] {2}));
    static final List<ConsumedOffset> OFFSETS = List.of(new ConsumedOffset(TopicNames.DEFAULT_MINIBATCHES, 0, 640));

    private Snapshots() {
    }

    /** Train loss of {@link #basic()}: 4 batches of epoch 2 summing to 9.25 (mean 2.3125). */
    static final EpochLoss BASIC_LOSS = new EpochLoss(9.25, 4);

    /** Train accuracy of {@link #basic()}: 200 of the 256 samples of those 4 batches. */
    static final EpochAccuracy BASIC_ACCURACY = new EpochAccuracy(200, 256);

    /** run-1 at epoch 2, step 10, 640 samples; layout w [3, 2], b [2]; parameters 0.5 .. 4.0. */
    static WeightSnapshot basic() {
        return WeightSnapshot.of(RunSpecFixture.spec(), 2, 10, 640, 1_700_000_000_000L, false, false, BASIC_LOSS,
                BASIC_ACCURACY, OFFSETS, LAYOUT, new float[] {0.5f, 1f, 1.5f, 2f, 2.5f, 3f, 3.5f, 4f}, new float[0]);
    }

    static WeightSnapshot of(RunSpec spec, boolean epochEnd, boolean finalSnapshot, List<ConsumedOffset> offsets,
                             List<TensorLayout> layout, float[] parameters, float[] updater) {
        return WeightSnapshot.of(spec, 1, 3, 192, 1_700_000_000_000L, epochEnd, finalSnapshot,
                new EpochLoss(6.5, 3), new EpochAccuracy(150, 192), offsets, layout, parameters, updater);
    }

    /** The values as little-endian float32 bytes, built one float at a time. */
    static byte[] littleEndianBytes(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putInt(Float.floatToRawIntBits(v));
        }
        return buffer.array();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Independent SHA-256 of the parameters: MessageDigest over a LITTLE_ENDIAN ByteBuffer. */
    static String sha256(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        buffer.flip();
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(buffer);
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static int[] rawBits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    /** Floats whose bits must survive: NaNs with payloads, infinities, signed zeros, extremes. */
    static float[] specialFloats() {
        return new float[] {Float.NaN, Float.intBitsToFloat(0x7FC00123), Float.intBitsToFloat(0xFFC00000),
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f, Float.MIN_VALUE, -Float.MIN_VALUE,
                Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-3f};
    }
}
