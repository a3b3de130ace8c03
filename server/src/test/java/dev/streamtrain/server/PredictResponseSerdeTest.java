package dev.streamtrain.server;

import dev.streamtrain.contracts.wire.RecordFormatException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The prediction's JSON (docs/wire-format.md, section 10), both directions. */
class PredictResponseSerdeTest {

    private static final String SHA = "ab".repeat(32);
    private final PredictResponseSerializer encoder = new PredictResponseSerializer();
    private final PredictResponseDeserializer decoder = new PredictResponseDeserializer();

    @Test
    void writesTheDocumentedJson() {
        PredictResponse response = new PredictResponse("r-1", "run-1", ServePolicy.BEST,
                new SnapshotRef(SHA, 1876, 2, 1_732_243_200_000L),
                List.of(new Prediction(1, new float[] {0.25f, 0.75f})));
        assertThat(new String(encoder.serialize("t", response), StandardCharsets.UTF_8)).isEqualTo(
                "{\"id\":\"r-1\",\"run\":\"run-1\",\"policy\":\"best\",\"snapshot\":{\"sha256\":\"" + SHA
                        + "\",\"step\":1876,\"epoch\":2,\"createdAtMillis\":1732243200000},"
                        + "\"predictions\":[{\"class\":1,\"probabilities\":[0.25,0.75]}]}");
    }

    @Test
    void roundTripsEveryFloatBitForBitNaNIncluded() {
        float[] values = {0f, Float.MIN_VALUE, 1e-30f, 0.1f, 1f / 3, 0.99999994f, 1f, Float.NaN, Float.MAX_VALUE};
        PredictResponse response = new PredictResponse(null, "run-2", ServePolicy.LATEST,
                new SnapshotRef(SHA, Long.MAX_VALUE, 1, 0), List.of(new Prediction(6, values),
                        new Prediction(0, new float[] {1f})));
        PredictResponse back = decoder.deserialize("t", encoder.serialize("t", response));
        assertThat(back).isEqualTo(response);
        assertThat(Float.floatToRawIntBits(back.predictions().get(0).probabilities()[7]))
                .isEqualTo(Float.floatToRawIntBits(Float.NaN));
        assertThat(encoder.serialize("t", null)).isNull();
        assertThat(decoder.deserialize("t", null)).isNull();
    }

    @Test
    void refusesWhatIsNotAPrediction() {
        for (String json : List.of("", "[]", "{\"run\":\"r\"}", "{\"run\":\"r\",\"policy\":\"worst\",\"snapshot\":{"
                + "\"sha256\":\"x\",\"step\":1,\"epoch\":1,\"createdAtMillis\":1},\"predictions\":[]}")) {
            assertThatThrownBy(() -> decoder.deserialize("t", json.getBytes(StandardCharsets.UTF_8)))
                    .as(json).isInstanceOf(RecordFormatException.class).hasMessageStartingWith("prediction");
        }
    }
}
