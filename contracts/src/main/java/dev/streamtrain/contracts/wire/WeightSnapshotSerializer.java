package dev.streamtrain.contracts.wire;

import dev.streamtrain.model.TensorLayout;

import dev.streamtrain.contracts.run.RunSpecJson;
import org.apache.kafka.common.serialization.Serializer;

import java.util.HexFormat;

/**
 * Encodes a {@link WeightSnapshot} as the snapshot record value, version 3 (docs/wire-format.md):
 * <pre>
 * magic "STWS" | version u8 | flags u8 (bit 0 epoch end, bit 1 final) | runId u16+utf8
 * | spec i32+utf8 (JSON) | epoch i32 | step i64 | samplesSeen i64 | createdAtMillis i64
 * | trainLossSum f64 | trainLossBatches i32 | trainCorrect i64 | trainSamples i64
 * | fadingWeight f64 | fadingAccuracySum f64 | fadingLossSum f64
 * | windowBatches i32 | (samples i32 | correct i32 | loss f64) x windowBatches
 * | offsetCount u16 | (topic u16+utf8 | partition i32 | nextOffset i64) x offsetCount
 * | tensorCount u16 | (name u16+utf8 | rank u8 | dims i32 x rank) x tensorCount
 * | parameterCount i64 | parameters f32le x parameterCount
 * | updaterCount i64 | updaterState f32le x updaterCount | sha256 32 bytes (of the parameter bytes)
 * </pre>
 * Integers and the f64 are big-endian; the float32 arrays are little-endian so numpy reads them as
 * {@code '<f4'}. Version 3 is version 4 without the prequential fields (from fadingWeight to the window's
 * batches), and is what a snapshot without prequential state is written as. Version 2 is version 3 without the two train-accuracy fields; version 1 is version 2
 * without the two train-loss fields.
 */
public class WeightSnapshotSerializer implements Serializer<WeightSnapshot> {

    static final byte[] MAGIC = {'S', 'T', 'W', 'S'};
    static final int VERSION = 4;
    /** The version of a snapshot that carries no prequential state: 4 without its fields. */
    static final int VERSION_WITHOUT_PREQUENTIAL = 3;
    /** The oldest version the deserializer still reads: version 1 has no train loss. */
    static final int OLDEST_VERSION = 1;
    static final int FLAG_EPOCH_END = 1;
    static final int FLAG_FINAL = 2;
    static final String FORMAT = "weight snapshot record";

    @Override
    public byte[] serialize(String topic, WeightSnapshot s) {
        if (s == null) {
            return null;
        }
        String spec = RunSpecJson.write(s.spec());
        long size = MAGIC.length + 2 + 2 + WireWriter.utf8Length(s.runId()) + 4 + WireWriter.utf8Length(spec)
                + 4 + 8 + 8 + 8 + 8 + 4 + 8 + 8 + 2 + 2 + 8 + 4L * s.parameters().length + 8 + 4L * s.updaterState().length
                + 32;
        for (ConsumedOffset o : s.offsets()) {
            size += 2 + WireWriter.utf8Length(o.topic()) + 4 + 8;
        }
        for (TensorLayout t : s.layout()) {
            size += 2 + WireWriter.utf8Length(t.name()) + 1 + 4L * t.shape().length;
        }
        PrequentialState prequential = s.prequential();
        if (prequential != null) {
            size += 8 + 8 + 8 + 4 + 16L * prequential.window().size();
        }
        int flags = (s.epochEnd() ? FLAG_EPOCH_END : 0) | (s.finalSnapshot() ? FLAG_FINAL : 0);
        WireWriter out = new WireWriter(FORMAT, size)
                .bytes(MAGIC)
                .u8(prequential != null ? VERSION : VERSION_WITHOUT_PREQUENTIAL)
                .u8(flags)
                .string16("runId", s.runId())
                .string32(spec)
                .i32(s.epoch())
                .i64(s.step())
                .i64(s.samplesSeen())
                .i64(s.createdAtMillis())
                .f64(s.trainLoss().sum())
                .i32(s.trainLoss().batches())
                .i64(s.trainAccuracy().correct())
                .i64(s.trainAccuracy().samples());
        if (prequential != null) {
            out.f64(prequential.fadingWeight()).f64(prequential.fadingAccuracySum()).f64(prequential.fadingLossSum())
                    .i32(prequential.window().size());
            for (PrequentialState.Batch b : prequential.window()) {
                out.i32(b.samples()).i32(b.correct()).f64(b.loss());
            }
        }
        out.u16(s.offsets().size());
        for (ConsumedOffset o : s.offsets()) {
            out.string16("offsets.topic", o.topic()).i32(o.partition()).i64(o.nextOffset());
        }
        out.u16(s.layout().size());
        for (TensorLayout t : s.layout()) {
            out.string16("layout.name", t.name()).u8(t.shape().length);
            for (int d : t.shape()) {
                out.i32(d);
            }
        }
        out.i64(s.parameters().length);
        int parametersFrom = out.position();
        out.floatsLittleEndian(s.parameters());
        String computed = WeightSnapshot.sha256(out.written(parametersFrom));
        if (!computed.equals(s.parametersSha256())) {
            throw new IllegalStateException("snapshot checksum " + s.parametersSha256()
                    + " does not match its parameters (" + computed + ")");
        }
        out.i64(s.updaterState().length).floatsLittleEndian(s.updaterState());
        return out.bytes(HexFormat.of().parseHex(computed)).toByteArray();
    }
}
