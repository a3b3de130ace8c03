package dev.streamtrain.contracts.wire;

import org.apache.kafka.common.serialization.Serializer;

/**
 * Encodes a {@link Minibatch} as the minibatch record value, version 2 or 3 (docs/wire-format.md):
 * <pre>
 * magic "STMB" | version u8 | split u8 | dtype u8 | rank u8 | dataset u16+utf8 | epoch i32 | epochs i32
 * | batchIndex i32 | batchesPerEpoch i32 | datasetSize i32 | numClasses u16 | sampleCount i32
 * | dims i32 x rank | flags u8 (bit 0 shuffle, bit 1 drop_last) | seed i64 | validationSize i32
 * | sampleIndexes i32 x sampleCount | pixels u8 x (sampleCount x prod(dims)) | labels u8 x sampleCount
 * </pre>
 * Integers are big-endian (network order, as in Kafka's own protocol). A minibatch without
 * sampling (read from a version 1 record) is written back as version 1, the bytes it was read
 * from: version 1 lacks the four fields after {@code dims} and has no validation split. A batch of
 * an open stream ({@code epochs} = 0) is written as version 3, which has version 2's layout and
 * allows that value; every other batch as before, so finite streams read as they always did.
 */
public class MinibatchSerializer implements Serializer<Minibatch> {

    static final byte[] MAGIC = {'S', 'T', 'M', 'B'};
    static final int VERSION = 2;
    /** Version 3: version 2's layout, and {@code epochs} may be 0, an open stream. */
    static final int VERSION_OPEN = 3;
    /** Version 1: no sampling fields, splits train and test only. */
    static final int VERSION_1 = 1;
    static final int FLAG_SHUFFLE = 1;
    static final int FLAG_DROP_LAST = 2;
    /** dtype code for unsigned 8-bit pixels; the only one versions 1 and 2 define. */
    static final int DTYPE_UINT8 = 1;
    static final String FORMAT = "minibatch record";

    @Override
    public byte[] serialize(String topic, Minibatch batch) {
        if (batch == null) {
            return null;
        }
        int rank = batch.sampleShape().length;
        boolean v2 = batch.hasSampling();
        long size = MAGIC.length + 4 + 2 + WireWriter.utf8Length(batch.dataset()) + 5 * 4 + 2 + 4 + 4L * rank
                + (v2 ? 1 + 8 + 4 + 4L * batch.sampleCount() : 0) + batch.pixels().length + batch.labels().length;
        WireWriter out = new WireWriter(FORMAT, size)
                .bytes(MAGIC)
                .u8(batch.isOpen() ? VERSION_OPEN : v2 ? VERSION : VERSION_1)
                .u8(batch.split().code())
                .u8(DTYPE_UINT8)
                .u8(rank)
                .string16("dataset", batch.dataset())
                .i32(batch.epoch())
                .i32(batch.epochs())
                .i32(batch.batchIndex())
                .i32(batch.batchesPerEpoch())
                .i32(batch.datasetSize())
                .u16(batch.numClasses())
                .i32(batch.sampleCount());
        for (int d : batch.sampleShape()) {
            out.i32(d);
        }
        if (v2) {
            Sampling sampling = batch.sampling();
            out.u8((sampling.shuffle() ? FLAG_SHUFFLE : 0) | (sampling.dropLast() ? FLAG_DROP_LAST : 0))
                    .i64(sampling.seed())
                    .i32(sampling.validationSize());
            for (int index : batch.sampleIndexes()) {
                out.i32(index);
            }
        }
        return out.bytes(batch.pixels()).bytes(batch.labels()).toByteArray();
    }
}
