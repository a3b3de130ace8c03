package dev.streamtrain.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamtrain.contracts.transform.Normalize;
import dev.streamtrain.model.SpecFamily;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch peer: {@code pytorch_peer.py} (a resource of this package) run by an interpreter
 * where torch imports, on the same data (written as IDX files), network, loss, optimizer, batch
 * size, thread count and step method. It reports the step alone on prebuilt tensors and the
 * tutorial's loop as written, as JSON on stdout.
 */
final class PeerBench {

    static final String SCRIPT = "pytorch_peer.py";
    static final String STEP = "PyTorch step (prebuilt tensors)";
    static final String TUTORIAL = "PyTorch tutorial loop as written";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The peer's two figures and what it reported about itself (versions, BLAS, loader). */
    record Result(Figure step, Figure tutorial, Map<String, Object> about) {

        static Result skipped(String reason, Map<String, Object> about) {
            return new Result(Figure.skipped(STEP, Figure.SAMPLES_PER_SECOND, reason),
                    Figure.skipped(TUTORIAL, Figure.SAMPLES_PER_SECOND, reason), about);
        }
    }

    private PeerBench() {
    }

    /**
     * @param libraryPath directories put first on the peer's {@code LD_LIBRARY_PATH}, e.g. one holding an
     *                    optimized {@code libblas.so.3} for a torch linked against the system's BLAS
     */
    static Result run(Optional<String> python, Optional<String> libraryPath, BenchPlan plan, Path idxDirectory,
                      Path workDir, Duration timeout) throws IOException, InterruptedException {
        PythonFinder.Found found = PythonFinder.find(python);
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("interpretersTried", found.tried());
        if (found.python().isEmpty()) {
            return Result.skipped(found.whyNone(), about);
        }
        about.put("interpreter", found.python().get());
        Path script = workDir.resolve(SCRIPT);
        try (InputStream in = PeerBench.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " missing from the launcher's jar");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path spec = workDir.resolve("peer-spec.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(spec.toFile(), spec(plan, idxDirectory));
        Path out = workDir.resolve("peer.out");
        Path err = workDir.resolve("peer.err");
        ProcessBuilder builder = new ProcessBuilder(found.python().get(), script.toString(), spec.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(plan.threads()));
        builder.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(plan.threads()));
        if (libraryPath.isPresent()) {
            String before = System.getenv("LD_LIBRARY_PATH");
            builder.environment().put("LD_LIBRARY_PATH", libraryPath.get() + (before == null ? "" : ":" + before));
            about.put("libraryPath", libraryPath.get());
        }
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return Result.skipped("the peer did not finish within " + timeout.toSeconds() + " s", about);
        }
        if (process.exitValue() != 0) {
            List<String> lines = Files.readAllLines(err);
            return Result.skipped("the peer (" + found.python().get() + ") exited with " + process.exitValue() + ": "
                    + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())), about);
        }
        JsonNode report = JSON.readTree(out.toFile());
        for (String key : List.of("python", "executable", "torch", "torchvision", "numpy", "threads", "blas",
                "torchConfig", "peakRssMiB")) {
            about.put(key, JSON.convertValue(report.get(key), Object.class));
        }
        referenceBlas(report.get("blas")).ifPresent(library -> about.put("warning", "the peer's torch computes with "
                + library + ", which looks like the reference (netlib) BLAS: its figures are far below PyTorch with "
                + "an optimized BLAS (OpenBLAS, MKL). Give a directory holding an optimized libblas.so.3 with "
                + "--peer-library-path (README, Performance)"));
        JsonNode step = report.get("step");
        JsonNode tutorial = report.get("tutorial");
        return new Result(
                Figure.measured(STEP, step.get("samplesPerSecond").asDouble(), Figure.SAMPLES_PER_SECOND,
                        details(step, "samplesPerSecond")),
                Figure.measured(TUTORIAL, tutorial.get("samplesPerSecond").asDouble(), Figure.SAMPLES_PER_SECOND,
                        details(tutorial, "samplesPerSecond")),
                about);
    }

    /** The library of {@code blas} (the paths the peer mapped) that is Debian's reference BLAS, if one is. */
    static Optional<String> referenceBlas(JsonNode blas) {
        if (blas == null) {
            return Optional.empty();
        }
        for (JsonNode library : blas) {
            if (library.asText().matches(".*/blas/libblas\\.so[.0-9]*")) {
                return Optional.of(library.asText());
            }
        }
        return Optional.empty();
    }

    private static Map<String, Object> details(JsonNode figure, String valueKey) {
        @SuppressWarnings("unchecked")
        Map<String, Object> details = JSON.convertValue(figure, LinkedHashMap.class);
        details.remove(valueKey);
        return details;
    }

    /** What the peer is told: the data, the network, loss, optimizer and transforms, and the method. */
    static ObjectNode spec(BenchPlan plan, Path idxDirectory) {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("dataDir", idxDirectory.toAbsolutePath().toString());
        spec.set("architecture", JSON.valueToTree(plan.architecture()));
        spec.put("loss", plan.recipe().loss());
        ObjectNode optimizer = spec.putObject("optimizer");
        optimizer.put("name", plan.recipe().optimizer().name());
        ObjectNode params = optimizer.putObject("params");
        SpecFamily.OPTIMIZERS.parametersOf(plan.recipe().optimizer()).forEach(params::set);
        Optional<Normalize> normalize = plan.recipe().transforms().stream().filter(Normalize.class::isInstance)
                .map(Normalize.class::cast).findFirst();
        if (normalize.isPresent()) {
            ObjectNode n = spec.putObject("normalize");
            n.set("mean", JSON.valueToTree(normalize.get().mean()));
            n.set("std", JSON.valueToTree(normalize.get().std()));
        } else {
            spec.putNull("normalize");
        }
        spec.put("batchSize", plan.batchSize());
        spec.put("testBatchSize", plan.testBatchSize());
        spec.put("threads", plan.threads());
        spec.put("seed", plan.seed());
        spec.put("warmupSteps", plan.warmupSteps());
        spec.put("rounds", plan.rounds());
        spec.put("stepsPerRound", plan.stepsPerRound());
        spec.put("tutorialEpochs", plan.peerEpochs());
        return spec;
    }
}
