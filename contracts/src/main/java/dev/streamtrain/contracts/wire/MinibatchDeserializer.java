package dev.streamtrain.contracts.wire;

import org.apache.kafka.common.serialization.Deserializer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes a minibatch record value written by {@link MinibatchSerializer}, version 1, 2 or 3,
 * checking every field.
 */
public class MinibatchDeserializer implements Deserializer<Minibatch> {

    @Override
    public Minibatch deserialize(String topic, byte[] data) {
        return RecordFormatException.guard(MinibatchSerializer.FORMAT, () -> decode(data));
    }

    private Minibatch decode(byte[] data) {
        if (data == null) {
            return null;
        }
        WireReader in = new WireReader(MinibatchSerializer.FORMAT, data);
        in.expectMagic(MinibatchSerializer.MAGIC);
        int version = in.expectVersion(MinibatchSerializer.VERSION_1, MinibatchSerializer.VERSION_OPEN);
        int splitCode = in.u8("split");
        if (version == MinibatchSerializer.VERSION_1 && splitCode > 1) {
            throw in.fail("field 'split' must be 0 (train) or 1 (test) in version 1, got " + splitCode);
        }
        if (splitCode > 2) {
            throw in.fail("field 'split' must be 0 (train), 1 (test) or 2 (validation), got " + splitCode);
        }
        int dtype = in.u8("dtype");
        if (dtype != MinibatchSerializer.DTYPE_UINT8) {
            throw in.fail("unsupported dtype code " + dtype + ", version " + version + " defines only 1 (uint8)");
        }
        int rank = in.u8("rank");
        if (rank < 1 || rank > Minibatch.MAX_RANK) {
            throw in.fail("field 'rank' must be in [1, " + Minibatch.MAX_RANK + "], got " + rank);
        }
        String dataset = in.string16("dataset");
        int epoch = in.i32("epoch");
        int epochs = in.i32("epochs");
        if (epochs == Minibatch.OPEN && version < MinibatchSerializer.VERSION_OPEN) {
            throw in.fail("field 'epochs' must be >= 1 in version " + version + " (0, an open stream, exists from "
                    + "version 3 on), got 0");
        }
        int batchIndex = in.i32("batchIndex");
        int batchesPerEpoch = in.i32("batchesPerEpoch");
        int datasetSize = in.i32("datasetSize");
        int numClasses = in.u16("numClasses");
        int sampleCount = in.count("sampleCount");
        int[] shape = new int[rank];
        long sampleSize = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = in.i32("dims[" + i + "]");
            if (shape[i] < 1) {
                throw in.fail("field 'dims[" + i + "]' must be >= 1, got " + shape[i]);
            }
            sampleSize *= shape[i];
        }
        Sampling sampling = null;
        int[] sampleIndexes = null;
        if (version >= MinibatchSerializer.VERSION) {
            int flags = in.u8("flags");
            if ((flags & ~(MinibatchSerializer.FLAG_SHUFFLE | MinibatchSerializer.FLAG_DROP_LAST)) != 0) {
                throw in.fail("field 'flags' has unknown bits set: 0x" + Integer.toHexString(flags));
            }
            long seed = in.i64("seed");
            int validationSize = in.i32("validationSize");
            if (validationSize < 0) {
                throw in.fail("field 'validationSize' must be >= 0, got " + validationSize);
            }
            sampling = new Sampling((flags & MinibatchSerializer.FLAG_SHUFFLE) != 0,
                    (flags & MinibatchSerializer.FLAG_DROP_LAST) != 0, seed, validationSize);
            // one bounds check for the whole block, so a truncated one fails naming the field, before any allocation
            byte[] block = in.bytes("sampleIndexes", 4L * sampleCount);
            sampleIndexes = new int[sampleCount];
            ByteBuffer.wrap(block).order(ByteOrder.BIG_ENDIAN).asIntBuffer().get(sampleIndexes);
        }
        long expected = sampleSize * sampleCount + sampleCount;
        if (expected != in.remaining()) {
            throw in.fail("expected " + expected + " bytes of pixels and labels for " + sampleCount + " samples of "
                    + sampleSize + " values, got " + in.remaining());
        }
        byte[] pixels = in.bytes("pixels", sampleSize * sampleCount);
        byte[] labels = in.bytes("labels", sampleCount);
        in.expectEnd();
        try {
            return new Minibatch(dataset, Split.fromCode(splitCode), epoch, epochs, batchIndex, batchesPerEpoch,
                    datasetSize, numClasses, shape, pixels, labels, sampling, sampleIndexes);
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException(MinibatchSerializer.FORMAT + ": " + e.getMessage(), e);
        }
    }
}
