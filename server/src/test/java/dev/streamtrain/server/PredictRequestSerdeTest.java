package dev.streamtrain.server;

import dev.streamtrain.contracts.wire.RecordFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The prediction request's JSON (docs/wire-format.md, section 9), both directions. */
class PredictRequestSerdeTest {

    private final PredictRequestDeserializer decoder = new PredictRequestDeserializer();
    private final PredictRequestSerializer encoder = new PredictRequestSerializer();

    private PredictRequest decode(String json) {
        return decoder.deserialize("t", json.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("{\"samples\":[[0,1,255]]}", null, List.of(new Sample(bytes(0, 1, 255), new int[] {3}))),
                Arguments.of("{\"id\":\"r-1\",\"samples\":[[0],[7]]}", "r-1",
                        List.of(Sample.flat(bytes(0)), Sample.flat(bytes(7)))),
                Arguments.of(" {\"samples\" : [ [[1, 2], [3, 4], [5, 6]] ], \"id\": null}\n", null,
                        List.of(new Sample(bytes(1, 2, 3, 4, 5, 6), new int[] {3, 2}))),
                Arguments.of("{\"samples\":[[[[1,2]],[[3,4]]]],\"future\":{\"a\":[1,{}]},\"id\":\"x\"}", "x",
                        List.of(new Sample(bytes(1, 2, 3, 4), new int[] {2, 1, 2}))));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void decodesFlatAndNestedSamplesAndIgnoresUnknownMembers(String json, String id, List<Sample> samples) {
        PredictRequest request = decode(json);
        assertThat(request.id()).isEqualTo(id);
        assertThat(request.samples()).containsExactlyElementsOf(samples);
    }

    @ParameterizedTest
    @MethodSource("valid")
    void roundTrips(String json, String id, List<Sample> samples) {
        PredictRequest request = new PredictRequest(id, samples);
        assertThat(decoder.deserialize("t", encoder.serialize("t", request))).isEqualTo(request);
    }

    @Test
    void writesCompactJson() {
        assertThat(new String(encoder.serialize("t", new PredictRequest("a", List.of(new Sample(bytes(1, 2, 3, 255),
                new int[] {2, 2})))), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"a\",\"samples\":[[[1,2],[3,255]]]}");
        assertThat(encoder.serialize("t", null)).isNull();
        assertThat(decoder.deserialize("t", null)).isNull();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("", "expected a JSON object {\"samples\": [[pixels], ...]}, got the end of the input"),
                Arguments.of("not json", "not a valid request JSON object"),
                Arguments.of("[1,2]", "expected a JSON object"),
                Arguments.of("{}", "member 'samples' is missing"),
                Arguments.of("{\"samples\":[]}", "member 'samples' is empty"),
                Arguments.of("{\"samples\":[1,2]}", "sample 0 must be an array of pixels 0-255, got 1"),
                Arguments.of("{\"samples\":{}}", "member 'samples' must be an array"),
                Arguments.of("{\"samples\":[[]]}", "sample 0 holds an empty array"),
                Arguments.of("{\"samples\":[[0],[256]]}", "sample 1: pixel 0 is 256, not in 0-255"),
                Arguments.of("{\"samples\":[[-1]]}", "pixel 0 is -1"),
                Arguments.of("{\"samples\":[[99999999999999999999999]]}", "not in 0-255"),
                Arguments.of("{\"samples\":[[0.5]]}", "pixels must be integers 0-255, got 0.5"),
                Arguments.of("{\"samples\":[[\"1\"]]}", "pixels must be integers 0-255, got the string \"1\""),
                Arguments.of("{\"samples\":[[[1,2],[3]]]}", "sample 0 is ragged"),
                Arguments.of("{\"samples\":[[[1],2]]}", "mixes pixels and arrays"),
                Arguments.of("{\"samples\":[[1,[2]]]}", "mixes pixels and arrays"),
                Arguments.of("{\"samples\":[[[[[1]]]]]}", "nested deeper than [C][H][W]"),
                Arguments.of("{\"samples\":[[1]]} {}", "trailing content"),
                Arguments.of("{\"samples\":[[1]]", "not a valid request JSON object"),
                Arguments.of("{\"id\":7,\"samples\":[[1]]}", "member 'id' must be a string"),
                Arguments.of("null", "expected a JSON object"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void refusesWhatIsNotARequestNamingTheProblem(String json, String message) {
        assertThatThrownBy(() -> decode(json)).isInstanceOf(RecordFormatException.class)
                .hasMessageStartingWith("prediction request: ").hasMessageContaining(message);
    }

    @Test
    void refusesRandomBytesWithItsOneException() {
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            if (i % 2 == 0 && bytes.length > 0) {
                bytes[0] = '{';
            }
            try {
                decoder.deserialize("t", bytes);
            } catch (RecordFormatException expected) {
                // the one exception it lets out
            }
        }
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
