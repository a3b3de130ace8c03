package dev.streamtrain.launcher.bench;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.dataset.IdxFormat;
import dev.streamtrain.contracts.dataset.LoadedDataset;
import dev.streamtrain.contracts.wire.Split;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The data a benchmark trains on: a real dataset's files when they are there, else generated
 * images of Fashion-MNIST's shape (1x28x28, 10 classes), learnable (each class lights up its own
 * band of rows) so the loss falls as on real data.
 *
 * @param source where the data came from: a directory, or {@code generated}
 */
public record BenchData(ImageDataset train, ImageDataset test, String source, boolean generated) {

    static final int ROWS = 28;
    static final int COLS = 28;
    static final int CLASSES = 10;

    public static BenchData of(LoadedDataset loaded, Path directory) {
        return new BenchData(loaded.train(), loaded.test(), directory.toAbsolutePath().toString(), false);
    }

    /** {@code trainSize} and {@code testSize} generated samples, the same for the same seed. */
    public static BenchData generate(String name, int trainSize, int testSize, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new BenchData(generate(name, Split.TRAIN, trainSize, random), generate(name, Split.TEST, testSize,
                random), "generated", true);
    }

    private static ImageDataset generate(String name, Split split, int count, SplittableRandom random) {
        byte[] pixels = new byte[count * ROWS * COLS];
        byte[] labels = new byte[count];
        int band = ROWS / CLASSES;
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(CLASSES);
            labels[i] = (byte) label;
            for (int r = 0; r < ROWS; r++) {
                boolean lit = r / band == label;
                for (int c = 0; c < COLS; c++) {
                    pixels[(i * ROWS + r) * COLS + c] = (byte) (lit ? 160 + random.nextInt(96) : random.nextInt(60));
                }
            }
        }
        return new ImageDataset(name, split, new int[] {1, ROWS, COLS}, pixels, labels, CLASSES);
    }

    /**
     * Writes both splits as uncompressed IDX files under MNIST's file names into {@code directory}
     * (images {@code [N, H, W]} for one channel, {@code [N, C, H, W]} otherwise), for the PyTorch peer.
     */
    public Path writeIdx(Path directory) throws IOException {
        Files.createDirectories(directory);
        for (ImageDataset split : new ImageDataset[] {train, test}) {
            int[] shape = split.sampleShape();
            int[] dims = shape[0] == 1 ? new int[] {split.size(), shape[1], shape[2]}
                    : new int[] {split.size(), shape[0], shape[1], shape[2]};
            write(directory.resolve(IdxFormat.imagesFile(split.split())), dims, split.pixels());
            write(directory.resolve(IdxFormat.labelsFile(split.split())), new int[] {split.size()}, split.labels());
        }
        return directory;
    }

    private static void write(Path file, int[] dims, byte[] body) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
        header.putInt(0x0800 | dims.length); // unsigned bytes, then the number of dimensions
        for (int d : dims) {
            header.putInt(d);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(header.array());
            out.write(body);
        }
    }

    Map<String, Object> describe() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dataset", train.name());
        data.put("source", source);
        data.put("generated", generated);
        data.put("trainSamples", train.size());
        data.put("testSamples", test.size());
        data.put("sampleShape", train.sampleShape());
        data.put("classes", train.numClasses());
        return data;
    }
}
