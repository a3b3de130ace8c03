package dev.streamtrain.contracts.wire;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/** Decodes a minibatch record value written by {@link MinibatchSerializer}, checking every field. */
public class MinibatchDeserializer implements Deserializer<Minibatch> {

    @Override
    public Minibatch deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        WireReader in = new WireReader(MinibatchSerializer.FORMAT, data);
        in.expectMagic(MinibatchSerializer.MAGIC);
        in.expectVersion(MinibatchSerializer.VERSION);
        int splitCode = in.u8("split");
        if (splitCode > 1) {
            throw in.fail("field 'split' must be 0 (train) or 1 (test), got " + splitCode);
        }
        int dtype = in.u8("dtype");
        if (dtype != MinibatchSerializer.DTYPE_UINT8) {
            throw in.fail("unsupported dtype code " + dtype + ", version 1 defines only 1 (uint8)");
        }
        int rank = in.u8("rank");
        if (rank < 1 || rank > Minibatch.MAX_RANK) {
            throw in.fail("field 'rank' must be in [1, " + Minibatch.MAX_RANK + "], got " + rank);
        }
        String dataset = in.string16("dataset");
        int epoch = in.i32("epoch");
        int epochs = in.i32("epochs");
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
                    datasetSize, numClasses, shape, pixels, labels);
        } catch (IllegalArgumentException e) {
            throw new SerializationException(MinibatchSerializer.FORMAT + ": " + e.getMessage(), e);
        }
    }
}
