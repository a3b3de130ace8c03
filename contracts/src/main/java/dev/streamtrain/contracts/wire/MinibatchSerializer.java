package dev.streamtrain.contracts.wire;

import org.apache.kafka.common.serialization.Serializer;

/**
 * Encodes a {@link Minibatch} as the minibatch record value, version 1 (docs/wire-format.md):
 * <pre>
 * magic "STMB" | version u8 | split u8 | dtype u8 | rank u8 | dataset u16+utf8 | epoch i32 | epochs i32
 * | batchIndex i32 | batchesPerEpoch i32 | datasetSize i32 | numClasses u16 | sampleCount i32
 * | dims i32 x rank | pixels u8 x (sampleCount x prod(dims)) | labels u8 x sampleCount
 * </pre>
 * Integers are big-endian (network order, as in Kafka's own protocol).
 */
public class MinibatchSerializer implements Serializer<Minibatch> {

    static final byte[] MAGIC = {'S', 'T', 'M', 'B'};
    static final int VERSION = 1;
    /** dtype code for unsigned 8-bit pixels; the only one version 1 defines. */
    static final int DTYPE_UINT8 = 1;
    static final String FORMAT = "minibatch record";

    @Override
    public byte[] serialize(String topic, Minibatch batch) {
        if (batch == null) {
            return null;
        }
        int rank = batch.sampleShape().length;
        long size = MAGIC.length + 4 + 2 + WireWriter.utf8Length(batch.dataset()) + 5 * 4 + 2 + 4 + 4L * rank
                + batch.pixels().length + batch.labels().length;
        WireWriter out = new WireWriter(FORMAT, size)
                .bytes(MAGIC)
                .u8(VERSION)
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
        return out.bytes(batch.pixels()).bytes(batch.labels()).toByteArray();
    }
}
