package dev.streamtrain.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.streamtrain.contracts.wire.RecordFormatException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes a prediction request (docs/wire-format.md, section 9): a JSON object with an optional
 * {@code id} (a string) and {@code samples}, an array of at least one sample, each an array of pixel
 * values (integers 0 to 255), flat or nested as [H][W] or [C][H][W]. Members it does not know are
 * ignored. Whatever the bytes, it returns a request or throws {@link RecordFormatException} naming
 * what is wrong; whether the samples fit the served run is the {@link Predictor}'s to say.
 */
public class PredictRequestDeserializer implements Deserializer<PredictRequest> {

    static final String FORMAT = "prediction request";
    static final JsonFactory JSON = new JsonFactory();
    /** [C][H][W] at most. */
    private static final int MAX_DEPTH = 3;

    @Override
    public PredictRequest deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(data)) {
            return request(parser);
        } catch (RecordFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new RecordFormatException(FORMAT + ": not a valid request JSON object: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static PredictRequest request(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw fail("expected a JSON object {\"samples\": [[pixels], ...]}, got " + describe(p));
        }
        String id = null;
        List<Sample> samples = null;
        for (JsonToken t = next(p); t != JsonToken.END_OBJECT; t = next(p)) {
            String field = p.currentName();
            JsonToken value = next(p);
            if ("id".equals(field)) {
                if (value == JsonToken.VALUE_STRING) {
                    id = p.getText();
                } else if (value != JsonToken.VALUE_NULL) {
                    throw fail("member 'id' must be a string, got " + describe(p));
                }
            } else if ("samples".equals(field)) {
                samples = samples(p);
            } else {
                p.skipChildren(); // a member of a newer version
            }
        }
        if (p.nextToken() != null) {
            throw fail("trailing content after the request object: " + describe(p));
        }
        if (samples == null) {
            throw fail("member 'samples' is missing: give an array of samples, each an array of pixels 0-255");
        }
        if (samples.isEmpty()) {
            throw fail("member 'samples' is empty: give at least one sample");
        }
        return new PredictRequest(id, samples);
    }

    private static List<Sample> samples(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw fail("member 'samples' must be an array of samples, got " + describe(p));
        }
        List<Sample> samples = new ArrayList<>();
        for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p)) {
            if (t != JsonToken.START_ARRAY) {
                throw fail("sample " + samples.size() + " must be an array of pixels 0-255, got " + describe(p));
            }
            samples.add(sample(p, samples.size()));
        }
        return samples;
    }

    /** One sample, its START_ARRAY current: pixels in row-major order and the dimensions of its nesting. */
    private static Sample sample(JsonParser p, int index) throws IOException {
        Nesting nesting = new Nesting(index);
        nesting.array(p, 0);
        return new Sample(Arrays.copyOf(nesting.pixels, nesting.count), Arrays.copyOf(nesting.dims, nesting.depth));
    }

    /** What one sample's arrays hold so far: its pixels, each level's length, and the depth of its numbers. */
    private static final class Nesting {
        final int index;
        final int[] dims = {-1, -1, -1};
        int depth = -1;
        byte[] pixels = new byte[1024];
        int count;

        Nesting(int index) {
            this.index = index;
        }

        void array(JsonParser p, int level) throws IOException {
            if (level >= MAX_DEPTH) {
                throw fail("sample " + index + " is nested deeper than [C][H][W]");
            }
            int length = 0;
            for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p)) {
                if (t == JsonToken.START_ARRAY) {
                    leaf(level, false);
                    array(p, level + 1);
                } else if (t == JsonToken.VALUE_NUMBER_INT) {
                    leaf(level, true);
                    pixel(p);
                } else {
                    throw fail("sample " + index + ": pixels must be integers 0-255, got " + describe(p));
                }
                length++;
            }
            if (length == 0) {
                throw fail("sample " + index + " holds an empty array");
            }
            if (dims[level] == -1) {
                dims[level] = length;
            } else if (dims[level] != length) {
                throw fail("sample " + index + " is ragged: arrays of " + dims[level] + " and " + length
                        + " values at depth " + (level + 1));
            }
        }

        /** Numbers are at one depth, the deepest: {@code numbers} says whether {@code level} holds them. */
        private void leaf(int level, boolean numbers) {
            if (numbers && depth == -1) {
                depth = level + 1;
            }
            if (numbers ? depth != level + 1 : depth != -1 && depth <= level + 1) {
                throw fail("sample " + index + " mixes pixels and arrays at depth " + (level + 1));
            }
        }

        private void pixel(JsonParser p) throws IOException {
            long value = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? -1 : p.getLongValue();
            if (value < 0 || value > 255) {
                throw fail("sample " + index + ": pixel " + count + " is " + p.getText() + ", not in 0-255");
            }
            if (count == pixels.length) {
                pixels = Arrays.copyOf(pixels, pixels.length * 2);
            }
            pixels[count++] = (byte) value;
        }
    }

    /** The next token; the input must not end inside the request. */
    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw fail("the JSON ends inside the request");
        }
        return t;
    }

    private static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "the end of the input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "the string \"" + abbreviate(p.getText()) + "\"";
            default -> abbreviate(p.getText());
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static RecordFormatException fail(String message) {
        return new RecordFormatException(FORMAT + ": " + message);
    }
}
