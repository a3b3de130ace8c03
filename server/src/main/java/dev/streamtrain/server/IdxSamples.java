package dev.streamtrain.server;

import dev.streamtrain.contracts.dataset.IdxArray;
import dev.streamtrain.contracts.dataset.IdxFile;
import dev.streamtrain.contracts.wire.RecordFormatException;
import dev.streamtrain.model.layer.Shape;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An IDX file (gzipped or raw, as a dataset's images file) as samples of a run's shape [C, H, W],
 * read by contracts' {@link IdxFile}: one sample of dimensions [C, H, W] (or [H, W] when C is 1),
 * or N samples of [N, C, H, W] (or [N, H, W]), as {@code t10k-images-idx3-ubyte} holds them.
 */
final class IdxSamples {

    static final String FORMAT = "IDX upload";

    private IdxSamples() {
    }

    static boolean isIdx(byte[] body) {
        return body.length >= 4 && (body[0] == 0 && body[1] == 0 || (body[0] & 0xFF) == 0x1F
                && (body[1] & 0xFF) == 0x8B);
    }

    static List<Sample> decode(byte[] idx, Shape shape) {
        IdxArray array;
        try {
            array = IdxFile.read(FORMAT, idx);
        } catch (IOException e) {
            throw new RecordFormatException(e.getMessage(), e);
        }
        int[] dims = array.dims();
        int[] sample = shape.dims();
        int[] image = sample.length == 3 && sample[0] == 1 ? new int[] {sample[1], sample[2]} : sample;
        int count;
        if (Arrays.equals(dims, sample) || Arrays.equals(dims, image)) {
            count = 1;
        } else {
            int[] item = array.itemShape();
            if (!Arrays.equals(item, sample) && !Arrays.equals(item, image)) {
                throw new RecordFormatException(FORMAT + ": dimensions " + Arrays.toString(dims) + " are not "
                        + describe(image) + " or [N, " + describe(image).substring(1) + ", what the served run takes");
            }
            count = array.count();
        }
        int size = shape.size();
        byte[] data = array.data();
        List<Sample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            samples.add(new Sample(Arrays.copyOfRange(data, i * size, (i + 1) * size), sample));
        }
        return samples;
    }

    private static String describe(int[] dims) {
        return Arrays.toString(dims);
    }
}
