package dev.streamtrain.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtrain.model.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code streamtrain bench --quick} runs every measurement (the PyTorch peer too when an interpreter
 * has torch) and writes well-formed JSON with every section: each figure a positive number, or null
 * with the reason it was skipped. Not a timing test: the figures' sizes are not checked.
 */
class BenchCommandTest {

    private static final List<String> SECTIONS = List.of("step", "peer", "stream", "local", "producer", "evaluator",
            "latency", "memory", "serving");

    @TempDir
    Path tmp;

    @Test
    void quickRunWritesEverySectionWithFiguresOrReasons() throws Exception {
        Path json = tmp.resolve("out").resolve("bench.json");
        CommandRun run = CommandRun.of("bench", "--quick", "--json", json.toString());

        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("FIGURE", "TARGET (issues 10, 12)", "Wrote " + json.toAbsolutePath());
        JsonNode root = new ObjectMapper().readTree(json.toFile());

        JsonNode machine = root.get("machine");
        assertThat(machine.get("cores").asInt()).isPositive();
        for (String key : List.of("cpuModel", "os", "jvm", "streamtrainVersion", "dl4jVersion", "kafkaVersion")) {
            assertThat(machine.get(key).asText()).as(key).isNotBlank();
        }
        assertThat(machine.get("engines").has("dl4j")).isTrue();
        String coreType = System.getenv("OPENBLAS_CORETYPE");
        assertThat(machine.get("openblasCoretype").isNull() ? null : machine.get("openblasCoretype").asText())
                .as("the OpenBLAS kernels of this process and of the peer").isEqualTo(coreType);
        JsonNode method = root.get("method");
        assertThat(method.get("quick").asBoolean()).isTrue();
        assertThat(method.get("rounds").asInt()).isPositive();
        assertThat(method.get("epochs").asInt()).isPositive();
        assertThat(method.get("data").get("generated").asBoolean()).isTrue();

        JsonNode figures = root.get("figures");
        assertThat(names(figures)).containsExactlyElementsOf(SECTIONS);
        for (String engine : Engines.names()) {
            assertThat(figures.get("step").has("engine." + engine)).as("engine " + engine).isTrue();
        }
        List<String> required = List.of("step/dl4j-fit", "peer/step", "peer/tutorial", "stream/train",
                "stream/overhead", "local/pipeline", "producer/bytes", "producer/batches", "evaluator/test-loop",
                "latency/p50", "latency/p95", "memory/local", "memory/trainer", "memory/evaluator", "serving/http-p50",
                "serving/http-p99", "serving/kafka");
        for (String path : required) {
            String[] at = path.split("/");
            assertThat(figures.get(at[0]).has(at[1])).as(path).isTrue();
        }
        for (Iterator<Map.Entry<String, JsonNode>> sections = figures.fields(); sections.hasNext(); ) {
            Map.Entry<String, JsonNode> section = sections.next();
            for (Iterator<Map.Entry<String, JsonNode>> it = section.getValue().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> figure = it.next();
                String where = section.getKey() + "/" + figure.getKey() + ": " + figure.getValue();
                JsonNode value = figure.getValue().get("value");
                assertThat(value).as(where).isNotNull();
                if (value.isNull()) {
                    assertThat(figure.getValue().get("reason").asText()).as(where).isNotBlank();
                } else if (!figure.getValue().get("unit").asText().equals("%")) {
                    assertThat(value.asDouble()).as(where).isPositive();
                }
            }
        }
        // Everything but the peer runs on any machine.
        for (String path : required) {
            String[] at = path.split("/");
            if (!at[0].equals("peer")) {
                assertThat(figures.get(at[0]).get(at[1]).get("value").isNumber()).as(path).isTrue();
            }
        }
        assertThat(figures.get("stream").get("train").get("perEpoch")).hasSize(2);

        JsonNode targets = root.get("targets");
        assertThat(targets).hasSize(9);
        for (JsonNode target : targets) {
            assertThat(target.get("target").asText()).isNotBlank();
            assertThat(target.get("measured").isNull() ? target.get("reason").asText() : "measured").isNotBlank();
        }
        assertThat(root.get("wallSeconds").asDouble()).isPositive();
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
