package dev.streamtrain.server;

import dev.streamtrain.contracts.wire.RecordFormatException;
import dev.streamtrain.model.layer.Shape;

import javax.imageio.ImageIO;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A PNG image as one sample of a run's shape [C, H, W]: H×W pixels, read by {@code javax.imageio}.
 * Grayscale PNGs give their gray values (16-bit and 1-, 2-, 4-bit ones scaled to 0-255); colour ones
 * their sRGB values. A run of 1 channel takes gray as it is and colour as PIL's {@code convert('L')}
 * makes it ({@code L = (19595 R + 38470 G + 7471 B + 32768) >> 16}); a run of 3 channels takes colour
 * as R, G and B planes and gray as three equal planes. Alpha is ignored.
 */
final class PngSample {

    static final String FORMAT = "PNG upload";

    private PngSample() {
    }

    static boolean isPng(byte[] body) {
        return body.length >= 8 && (body[0] & 0xFF) == 0x89 && body[1] == 'P' && body[2] == 'N' && body[3] == 'G';
    }

    static Sample decode(byte[] png, Shape shape) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException | RuntimeException e) {
            throw new RecordFormatException(FORMAT + ": not a readable PNG image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new RecordFormatException(FORMAT + ": not a readable PNG image");
        }
        int[] dims = shape.dims();
        if (dims.length != 3 || (dims[0] != 1 && dims[0] != 3)) {
            throw new RecordFormatException(FORMAT + ": the served run takes samples of shape "
                    + Arrays.toString(dims) + ", not images of 1 or 3 channels; send them as JSON");
        }
        int channels = dims[0];
        int height = dims[1];
        int width = dims[2];
        if (image.getWidth() != width || image.getHeight() != height) {
            throw new RecordFormatException(FORMAT + ": the image is " + image.getWidth() + "x" + image.getHeight()
                    + " (width x height), but the served run takes " + width + "x" + height + " images");
        }
        boolean gray = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        int bits = image.getColorModel().getComponentSize(0);
        Raster raster = image.getRaster();
        int plane = height * width;
        byte[] pixels = new byte[channels * plane];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int at = y * width + x;
                int r;
                int g;
                int b;
                if (gray) {
                    // the raster's own values: getRGB would convert linear gray to sRGB
                    r = g = b = to8Bits(raster.getSample(x, y, 0), bits);
                } else {
                    int rgb = image.getRGB(x, y);
                    r = (rgb >> 16) & 0xFF;
                    g = (rgb >> 8) & 0xFF;
                    b = rgb & 0xFF;
                }
                if (channels == 1) {
                    pixels[at] = (byte) (gray ? r : (19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16);
                } else {
                    pixels[at] = (byte) r;
                    pixels[plane + at] = (byte) g;
                    pixels[2 * plane + at] = (byte) b;
                }
            }
        }
        return new Sample(pixels, dims);
    }

    private static int to8Bits(int value, int bits) {
        if (bits == 8) {
            return value;
        }
        if (bits > 8) {
            return value >> (bits - 8);
        }
        return value * 255 / ((1 << bits) - 1);
    }
}
