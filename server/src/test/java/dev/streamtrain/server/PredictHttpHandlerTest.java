package dev.streamtrain.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.run.RunSpecJson;
import dev.streamtrain.model.Engines;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /predict} over a real socket: every way in, every answer, every refusal. */
class PredictHttpHandlerTest {

    private static final ImageDataset DATA = ServerFixtures.images(5, 8);
    private static ServedModel model;

    private final ModelSlot slot = new ModelSlot();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer server;
    private URI uri;

    @BeforeAll
    static void trained() {
        Engines.setMathThreads(Engines.AUTO, 1);
        model = new ServedModel(ServerFixtures.snapshot("r", 8), ServePolicy.LATEST, null);
    }

    @BeforeEach
    void start() throws IOException {
        ServeService.noDelay();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(PredictHttpHandler.PATH, new PredictHttpHandler("r", slot,
                new ServingMetrics(registry, "r", slot)));
        server.start();
        uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PredictHttpHandler.PATH);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String json) throws Exception {
        return post(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return RunSpecJson.MAPPER.readTree(response.body());
    }

    private static List<Prediction> expected(List<Sample> samples) {
        return new Predictor().predict(model, samples);
    }

    private static PredictResponse answer(HttpResponse<String> response) {
        return new PredictResponseDeserializer().deserialize(null, response.body().getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void beforeASnapshotIsServedItAnswers503() throws Exception {
        HttpResponse<String> response = post("{\"samples\": [[0]]}");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(response).get("error").asText()).isEqualTo("no snapshot of run r is served yet");
    }

    @Test
    void aJsonRequestOfOneOrManySamplesIsAnsweredWithClassProbabilitiesAndSnapshot() throws Exception {
        slot.serve(model);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            samples.add(ServerFixtures.sample(DATA, i));
        }
        HttpResponse<String> response = post(new PredictRequestSerializer().serialize(null,
                new PredictRequest("q-7", samples)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        PredictResponse answer = answer(response);
        assertThat(answer).isEqualTo(new PredictResponse("q-7", "r", ServePolicy.LATEST, model.ref(),
                expected(samples)));
        assertThat(json(response).get("snapshot").get("sha256").asText()).isEqualTo(model.sha256());
        assertThat(json(response).get("predictions").get(0).get("class").asInt())
                .isEqualTo(answer.predictions().get(0).predictedClass());

        HttpResponse<String> one = post(new PredictRequestSerializer().serialize(null, new PredictRequest(null,
                List.of(new Sample(samples.get(1).pixels(), new int[] {28, 28})))));
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(answer(one).id()).isNull();
        assertThat(answer(one).predictions()).containsExactly(expected(List.of(samples.get(1))).get(0));
        assertThat(registry.get(ServingMetrics.PREDICTIONS).tag("path", "http").counter().count()).isEqualTo(4);
        assertThat(registry.get(ServingMetrics.LATENCY).tag("path", "http").timer().count()).isEqualTo(2);
    }

    @Test
    void anIdxFileOfOneOrManyImagesRawOrGzippedIsAnsweredInItsOrder() throws Exception {
        slot.serve(model);
        byte[] three = Arrays.copyOf(DATA.pixels(), 3 * 784);
        List<Sample> samples = List.of(ServerFixtures.sample(DATA, 0), ServerFixtures.sample(DATA, 1),
                ServerFixtures.sample(DATA, 2));
        HttpResponse<String> many = post(SyntheticIdxDataset.idxBytes(new int[] {3, 28, 28}, three));
        assertThat(many.statusCode()).as(many.body()).isEqualTo(200);
        assertThat(answer(many).predictions()).isEqualTo(expected(samples));
        HttpResponse<String> gzipped = post(gzip(SyntheticIdxDataset.idxBytes(new int[] {28, 28},
                Arrays.copyOf(three, 784))));
        assertThat(gzipped.statusCode()).isEqualTo(200);
        assertThat(answer(gzipped).predictions()).isEqualTo(expected(samples.subList(0, 1)));

        HttpResponse<String> wrong = post(SyntheticIdxDataset.idxBytes(new int[] {2, 14, 28}, new byte[784]));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(json(wrong).get("error").asText()).isEqualTo("IDX upload: dimensions [2, 14, 28] are not "
                + "[28, 28] or [N, 28, 28], what the served run takes");
        HttpResponse<String> truncated = post(Arrays.copyOf(SyntheticIdxDataset.idxBytes(new int[] {28, 28},
                new byte[784]), 100));
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(json(truncated).get("error").asText()).startsWith("IDX upload: truncated");
    }

    @Test
    void aPngIsOneSampleGrayAsItIsColourAsPilsGray() throws Exception {
        slot.serve(model);
        Sample sample = ServerFixtures.sample(DATA, 4);
        BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setDataElements(0, 0, 28, 28, sample.pixels());
        HttpResponse<String> response = post(png(gray));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(answer(response).predictions()).isEqualTo(expected(List.of(sample)));

        // the same gray values as R = G = B: L = (19595 + 38470 + 7471) * v / 65536, rounded, is v
        BufferedImage rgb = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 784; i++) {
            int v = sample.pixels()[i] & 0xFF;
            rgb.setRGB(i % 28, i / 28, v << 16 | v << 8 | v);
        }
        assertThat(answer(post(png(rgb))).predictions()).isEqualTo(expected(List.of(sample)));
        Sample fromRgb = PngSample.decode(png(rgb), model.sampleShape());
        assertThat(fromRgb.pixels()).containsExactly(sample.pixels());

        HttpResponse<String> small = post(png(new BufferedImage(32, 30, BufferedImage.TYPE_BYTE_GRAY)));
        assertThat(small.statusCode()).isEqualTo(400);
        assertThat(json(small).get("error").asText()).isEqualTo("PNG upload: the image is 32x30 (width x height), "
                + "but the served run takes 28x28 images");
        byte[] broken = Arrays.copyOf(png(gray), 40);
        assertThat(post(broken).statusCode()).isEqualTo(400);
    }

    @Test
    void badInputIs400NamingTheProblem() throws Exception {
        slot.serve(model);
        assertThat(error(post(new byte[0]), 400)).startsWith("prediction request: the body is empty");
        assertThat(error(post("hello"), 400)).startsWith("prediction request: not a valid request JSON object");
        assertThat(error(post("{\"samples\": []}"), 400)).isEqualTo("prediction request: member 'samples' is "
                + "empty: give at least one sample");
        assertThat(error(post("{\"samples\": [[1, 2, 3]]}"), 400)).isEqualTo("prediction request: sample 0 is [3] "
                + "(3 pixels), but run r takes samples of shape [1, 28, 28] (784 pixels, flat or nested as [28][28])");
        assertThat(error(post("{\"samples\": [[300]]}"), 400)).contains("pixel 0 is 300, not in 0-255");
        assertThat(registry.get(ServingMetrics.PREDICTIONS).tag("path", "http").counter().count()).isZero();
    }

    @Test
    void otherMethodsAre405AndTooLargeABodyIs413() throws Exception {
        slot.serve(model);
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(error(post(new byte[PredictHttpHandler.MAX_BODY_BYTES + 1]), 413)).contains("over 16777216 bytes");
    }

    private static String error(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json(response).get("error").asText();
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
