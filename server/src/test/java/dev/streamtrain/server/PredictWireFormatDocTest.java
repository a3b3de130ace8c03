package dev.streamtrain.server;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples of docs/wire-format.md, sections 9 and 10, are what the codecs read and write. */
class PredictWireFormatDocTest {

    private static final Path DOC = Path.of("..", "docs", "wire-format.md");

    private static String example(String section) throws Exception {
        String doc = Files.readString(DOC);
        int from = doc.indexOf("\n## " + section);
        assertThat(from).as("section %s", section).isPositive();
        Matcher json = Pattern.compile("```json\n(.+?)\n```", Pattern.DOTALL).matcher(doc.substring(from));
        assertThat(json.find()).isTrue();
        return json.group(1);
    }

    @Test
    void theRequestExampleReadsAsTwoEqualSamplesAndIsWrittenByteForByte() throws Exception {
        String json = example("9. Prediction request (JSON)");
        PredictRequest request = new PredictRequestDeserializer().deserialize(null,
                json.getBytes(StandardCharsets.UTF_8));
        byte[] pixels = {0, 51, (byte) 255, 7};
        assertThat(request).isEqualTo(new PredictRequest("req-1", List.of(new Sample(pixels, new int[] {4}),
                new Sample(pixels, new int[] {2, 2}))));
        assertThat(new String(new PredictRequestSerializer().serialize(null, request), StandardCharsets.UTF_8))
                .isEqualTo(json);
    }

    @Test
    void thePredictionExampleReadsAndIsWrittenByteForByte() throws Exception {
        String json = example("10. Prediction (JSON)");
        PredictResponse response = new PredictResponseDeserializer().deserialize(null,
                json.getBytes(StandardCharsets.UTF_8));
        assertThat(response.id()).isEqualTo("req-1");
        assertThat(response.policy()).isEqualTo(ServePolicy.LATEST);
        assertThat(response.snapshot().step()).isEqualTo(4690);
        assertThat(response.predictions()).hasSize(1);
        float[] p = response.predictions().get(0).probabilities();
        double sum = 0;
        for (float f : p) {
            sum += f;
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(response.predictions().get(0).predictedClass()).isEqualTo(9);
        assertThat(new String(new PredictResponseSerializer().serialize(null, response), StandardCharsets.UTF_8))
                .isEqualTo(json);
    }
}
