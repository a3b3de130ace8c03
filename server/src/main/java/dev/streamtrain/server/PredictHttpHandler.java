package dev.streamtrain.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.streamtrain.contracts.run.RunSpecJson;
import dev.streamtrain.contracts.wire.RecordFormatException;
import dev.streamtrain.model.layer.Shape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /predict}: a JSON prediction request (docs/wire-format.md, section 9), a PNG image or
 * an IDX file in the body, told apart by their first bytes (PNG's signature, IDX's two zero bytes or
 * gzip's magic, else JSON); the answer is the prediction JSON (section 10), 200. Bad input is 400
 * with {@code {"error": "…"}} naming the problem (not JSON, no samples, a sample of the wrong size,
 * an image of the wrong size); before the first snapshot is served, 503 (with Retry-After); a body
 * over {@value #MAX_BODY_BYTES} bytes, 413; any other method than POST, 405.
 */
public final class PredictHttpHandler implements HttpHandler {

    public static final String PATH = "/predict";
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(PredictHttpHandler.class);

    private final String runId;
    private final ModelSlot slot;
    private final ServingMetrics metrics;
    private final PredictResponseSerializer responses = new PredictResponseSerializer();
    /** The server's threads each predict with a network of their own. */
    private final ThreadLocal<Predictor> predictors = ThreadLocal.withInitial(Predictor::new);

    public PredictHttpHandler(String runId, ModelSlot slot, ServingMetrics metrics) {
        this.runId = runId;
        this.slot = slot;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                error(exchange, 405, "use POST with a JSON request, a PNG image or an IDX file");
                return;
            }
            Optional<byte[]> body = body(exchange.getRequestBody());
            if (body.isEmpty()) {
                error(exchange, 413, "the body is over " + MAX_BODY_BYTES + " bytes; send fewer samples a request");
                return;
            }
            Optional<ServedModel> served = slot.current();
            if (served.isEmpty()) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                error(exchange, 503, "no snapshot of run " + runId + " is served yet");
                return;
            }
            ServedModel model = served.get();
            PredictResponse answer;
            try {
                PredictRequest request = decode(body.get(), model.sampleShape());
                List<Prediction> predictions = predictors.get().predict(model, request.samples());
                answer = new PredictResponse(request.id(), model.runId(), model.policy(), model.ref(), predictions);
            } catch (RecordFormatException e) {
                error(exchange, 400, e.getMessage());
                return;
            }
            send(exchange, 200, responses.serialize(null, answer));
            metrics.answered(ServingMetrics.Path.HTTP, answer.predictions().size(), System.nanoTime() - started);
        } catch (RuntimeException e) {
            log.error("POST {} failed: {}", PATH, e.getMessage(), e);
            try {
                error(exchange, 500, "the server failed: " + e.getMessage());
            } catch (IOException | RuntimeException ignored) {
                // the headers were sent already
            }
        }
    }

    /** The request in {@code body}: a PNG, an IDX file or JSON, by its first bytes. */
    static PredictRequest decode(byte[] body, Shape shape) {
        if (body.length == 0) {
            throw new RecordFormatException(PredictRequestDeserializer.FORMAT + ": the body is empty; POST a JSON "
                    + "request {\"samples\": [[pixels 0-255], ...]}, a PNG image or an IDX file");
        }
        if (PngSample.isPng(body)) {
            return new PredictRequest(null, List.of(PngSample.decode(body, shape)));
        }
        if (IdxSamples.isIdx(body)) {
            return new PredictRequest(null, IdxSamples.decode(body, shape));
        }
        return new PredictRequestDeserializer().deserialize(null, body);
    }

    /** The body, or empty when it is over the limit. */
    private static Optional<byte[]> body(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        return bytes.length > MAX_BODY_BYTES ? Optional.empty() : Optional.of(bytes);
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, RunSpecJson.MAPPER.writeValueAsBytes(Map.of("error", message)));
    }

    private static void send(HttpExchange exchange, int status, byte[] json) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }
}
