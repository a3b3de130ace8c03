package dev.streamtrain.contracts.wire;

import dev.streamtrain.model.TensorLayout;

import dev.streamtrain.contracts.run.PrequentialSpec;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.run.RunSpecJson;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Decodes a snapshot record value written by {@link WeightSnapshotSerializer}, checking every field
 * and the SHA-256 of the parameters. Reads versions 1 to 4; a snapshot before version 4 has no prequential state (null); a version 1 record's train loss is
 * {@link EpochLoss#UNKNOWN}, and the train accuracy of versions 1 and 2 is {@link EpochAccuracy#UNKNOWN}.
 */
public class WeightSnapshotDeserializer implements Deserializer<WeightSnapshot> {

    @Override
    public WeightSnapshot deserialize(String topic, byte[] data) {
        return RecordFormatException.guard(WeightSnapshotSerializer.FORMAT, () -> decode(data));
    }

    private WeightSnapshot decode(byte[] data) {
        if (data == null) {
            return null;
        }
        WireReader in = new WireReader(WeightSnapshotSerializer.FORMAT, data);
        in.expectMagic(WeightSnapshotSerializer.MAGIC);
        int version = in.expectVersion(WeightSnapshotSerializer.OLDEST_VERSION, WeightSnapshotSerializer.VERSION);
        int flags = in.u8("flags");
        if ((flags & ~(WeightSnapshotSerializer.FLAG_EPOCH_END | WeightSnapshotSerializer.FLAG_FINAL)) != 0) {
            throw in.fail("field 'flags' has unknown bits set: 0x" + Integer.toHexString(flags));
        }
        String runId = in.string16("runId");
        RunSpec spec;
        try {
            spec = RunSpecJson.read(in.string32("spec"));
        } catch (IllegalArgumentException e) {
            throw in.fail("field 'spec': " + e.getMessage());
        }
        int epoch = in.i32("epoch");
        long step = in.i64("step");
        long samplesSeen = in.i64("samplesSeen");
        long createdAt = in.i64("createdAtMillis");
        EpochLoss trainLoss = version >= 2 ? trainLoss(in) : EpochLoss.UNKNOWN;
        EpochAccuracy trainAccuracy = version >= 3 ? trainAccuracy(in) : EpochAccuracy.UNKNOWN;
        PrequentialState prequential = version >= 4 ? prequential(in) : null;
        int offsetCount = in.u16("offsetCount");
        List<ConsumedOffset> offsets = new ArrayList<>(offsetCount);
        for (int i = 0; i < offsetCount; i++) {
            String t = in.string16("offsets[" + i + "].topic");
            int partition = in.i32("offsets[" + i + "].partition");
            long next = in.i64("offsets[" + i + "].nextOffset");
            offsets.add(checked(in, () -> new ConsumedOffset(t, partition, next)));
        }
        int tensorCount = in.u16("tensorCount");
        List<TensorLayout> layout = new ArrayList<>(tensorCount);
        long expectedParameters = 0;
        for (int i = 0; i < tensorCount; i++) {
            String name = in.string16("layout[" + i + "].name");
            int rank = in.u8("layout[" + i + "].rank");
            if (rank < 1 || rank > TensorLayout.MAX_RANK) {
                throw in.fail("field 'layout[" + i + "].rank' must be in [1, " + TensorLayout.MAX_RANK + "], got "
                        + rank);
            }
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) {
                shape[d] = in.i32("layout[" + i + "].dims[" + d + "]");
            }
            TensorLayout tensor = checked(in, () -> new TensorLayout(name, shape));
            layout.add(tensor);
            expectedParameters += tensor.size();
        }
        long parameterCount = in.i64("parameterCount");
        if (parameterCount != expectedParameters) {
            throw in.fail("field 'parameterCount' is " + parameterCount + " but the layout holds "
                    + expectedParameters + " values");
        }
        float[] parameters = in.floatsLittleEndian("parameters", parameterCount);
        String computed = WeightSnapshot.sha256(
                ByteBuffer.wrap(in.lastBytes((int) parameterCount * 4)).order(ByteOrder.LITTLE_ENDIAN));
        long updaterCount = in.i64("updaterCount");
        float[] updater = in.floatsLittleEndian("updaterState", updaterCount);
        String stored = HexFormat.of().formatHex(in.bytes("sha256", 32));
        in.expectEnd();
        if (!stored.equals(computed)) {
            throw in.fail("checksum mismatch: record says SHA-256 " + stored + " but its parameters hash to "
                    + computed + "; the record is corrupt");
        }
        boolean epochEnd = (flags & WeightSnapshotSerializer.FLAG_EPOCH_END) != 0;
        boolean isFinal = (flags & WeightSnapshotSerializer.FLAG_FINAL) != 0;
        return checked(in, () -> new WeightSnapshot(runId, spec, epoch, step, samplesSeen, createdAt, epochEnd,
                isFinal, trainLoss, trainAccuracy, offsets, layout, parameters, updater, stored, prequential));
    }

    private static EpochLoss trainLoss(WireReader in) {
        double sum = in.f64("trainLossSum");
        int batches = in.i32("trainLossBatches");
        return checked(in, () -> new EpochLoss(sum, batches));
    }

    private static EpochAccuracy trainAccuracy(WireReader in) {
        long correct = in.i64("trainCorrect");
        long samples = in.i64("trainSamples");
        return checked(in, () -> new EpochAccuracy(correct, samples));
    }

    private static PrequentialState prequential(WireReader in) {
        double weight = in.f64("fadingWeight");
        double accuracySum = in.f64("fadingAccuracySum");
        double lossSum = in.f64("fadingLossSum");
        int batches = in.i32("windowBatches");
        if (batches < 0 || batches > PrequentialSpec.MAX_WINDOW) {
            throw in.fail("field 'windowBatches' must be in [0, " + PrequentialSpec.MAX_WINDOW + "], got " + batches);
        }
        List<PrequentialState.Batch> window = new ArrayList<>(batches);
        for (int i = 0; i < batches; i++) {
            int samples = in.i32("window[" + i + "].samples");
            int correct = in.i32("window[" + i + "].correct");
            double loss = in.f64("window[" + i + "].loss");
            window.add(checked(in, () -> new PrequentialState.Batch(samples, correct, loss)));
        }
        return checked(in, () -> new PrequentialState(weight, accuracySum, lossSum, window));
    }

    private static <T> T checked(WireReader in, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException(in.fail(e.getMessage()).getMessage(), e);
        }
    }
}
