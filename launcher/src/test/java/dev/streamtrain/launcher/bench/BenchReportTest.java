package dev.streamtrain.launcher.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/** The report's figures, ratios to the peer and judged targets, from figures made up here. */
class BenchReportTest {

    private static Figure rate(String name, double value) {
        return Figure.measured(name, value, Figure.SAMPLES_PER_SECOND, Map.of());
    }

    @Test
    void aFigureHasAValueOrAReason() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Figure("x", null, "s", null, null));
        assertThatIllegalArgumentException().isThrownBy(() -> new Figure("x", 1.0, "s", "why", null));
        assertThat(Figure.skipped("x", "s", "why").isMeasured()).isFalse();
        assertThat(rate("a", 300).ratioTo(rate("b", 200))).isEqualTo(1.5);
        assertThat(rate("a", 300).ratioTo(Figure.measured("b", 2, "s", Map.of()))).isNull();
        assertThat(rate("a", 300).ratioTo(Figure.skipped("b", Figure.SAMPLES_PER_SECOND, "no torch"))).isNull();
    }

    @Test
    void percentilesAreNearestRank() {
        double[] sorted = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
        assertThat(LocalBench.percentile(sorted, 50)).isEqualTo(0.5);
        assertThat(LocalBench.percentile(sorted, 95)).isEqualTo(1.0);
        assertThat(LocalBench.percentile(new double[] {0.25}, 95)).isEqualTo(0.25);
        assertThat(StepTiming.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(StepTiming.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
    }

    @Test
    void targetsAreJudgedAgainstThePeerAndSkippedFiguresSayWhy() throws Exception {
        BenchReport report = new BenchReport(Map.of("cores", 2), Map.of("rounds", 5));
        report.put("step", "engine.dl4j", rate("step", 1000));
        report.put("peer", "step", rate("peer step", 1000));
        report.put("peer", "tutorial", Figure.skipped("peer loop", Figure.SAMPLES_PER_SECOND, "no torchvision"));
        report.put("stream", "train", rate("stream", 900));
        report.put("stream", "overhead", Bench.overhead(report.figure("stream", "train"),
                Figure.measured("step", 1000, Figure.SAMPLES_PER_SECOND, Map.of("msPerStep", 64.0))));
        report.put("local", "pipeline", rate("local", 2000));
        report.put("producer", "bytes", Figure.measured("producer", 150, "MB/s", Map.of()));
        report.put("latency", "p50", Figure.measured("p50", 1.2, "s", Map.of()));
        report.put("memory", "trainer", Figure.measured("trainer", 512, "MiB", Map.of()));
        report.put("serving", "http-p99", Figure.measured("http p99", 4.5, "ms", Map.of()));
        report.put("serving", "kafka", Figure.measured("kafka", 9000, "predictions/s", Map.of()));
        report.skipMissing("not measured");

        Map<String, Object> json = report.toJson();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Map<String, Object>>> figures = (Map<String, Map<String, Map<String, Object>>>)
                json.get("figures");
        assertThat(figures.get("stream").get("train")).containsEntry("vsPeerStep", 0.9).containsEntry(
                "vsPeerTutorial", null);
        assertThat((Double) figures.get("stream").get("overhead").get("value")).isCloseTo(11.11, within(0.01));
        assertThat(figures.get("peer").get("tutorial")).containsEntry("value", null)
                .containsEntry("reason", "no torchvision");
        assertThat(figures.get("memory").get("evaluator")).containsEntry("reason", "not measured");

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> targets = (List<Map<String, Object>>) json.get("targets");
        assertThat(targets).extracting(t -> t.get("target") + " " + t.get("met") + " " + t.get("milestoneMet"))
                .containsExactly(
                        "trainer from the topic vs PyTorch's step false true",
                        "stream overhead over the in-memory step false null",
                        "local vs the tutorial loop as written null null",
                        "producer throughput true null",
                        "snapshot -> metric latency p50 false null",
                        "trainer peak RSS true null",
                        "local peak RSS null null",
                        "serve: single-sample HTTP latency p99 true null",
                        "serve: Kafka path throughput false null");
        assertThat(targets.get(2).get("reason")).asString().contains("peer loop: no torchvision");
        new ObjectMapper().writeValueAsString(json); // well-formed JSON

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.printTable(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("stream", "0.90x", "skipped: no torchvision", "milestone met, goal not", "NOT met");
    }

    /** A convnet's bench is judged on the convnet target too: its engine's step against PyTorch's, 0.8x. */
    @Test
    void aConvnetIsJudgedOnItsEnginesStep() {
        BenchReport convnet = new BenchReport(Map.of("cores", 2), Map.of("engine", "blas", "convolutional", true));
        convnet.put("step", "engine.blas", rate("step", 850));
        convnet.put("peer", "step", rate("peer step", 1000));
        convnet.skipMissing("not measured");
        assertThat(BenchTargets.judge(convnet).get(1)).containsEntry("target",
                "convnet step (engine blas) vs PyTorch's step").containsEntry("goal", 0.8).containsEntry("met", true);
        convnet.put("step", "engine.blas", rate("step", 700));
        assertThat(BenchTargets.judge(convnet).get(1)).containsEntry("met", false);

        BenchReport mlp = new BenchReport(Map.of("cores", 2), Map.of("engine", "blas", "convolutional", false));
        mlp.skipMissing("not measured");
        assertThat(BenchTargets.judge(mlp)).extracting(t -> t.get("target")).noneMatch(t -> t.toString()
                .startsWith("convnet"));
    }

    @Test
    void aDebianTorchOnTheReferenceBlasIsRecognised() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(PeerBench.referenceBlas(json.readTree("[\"/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0\", "
                + "\"/usr/lib/x86_64-linux-gnu/libdnnl.so.2.6\"]"))).contains(
                "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0");
        assertThat(PeerBench.referenceBlas(json.readTree("[\"/opt/ob/openblas-pthread/libopenblasp-r0.3.21.so\"]")))
                .isEmpty();
    }
}
