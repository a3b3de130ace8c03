package dev.streamtrain.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamtrain.broker.testing.EmbeddedBrokerExtension;
import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.kafka.KafkaSettings;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.topic.TopicConfigs;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The deployment files (Dockerfile, docker-compose.yml, deploy/prometheus, deploy/grafana) agree with
 * the code: compose commands parse with the real CLI, Prometheus scrapes the ports the services
 * serve on, and every metric the Grafana dashboard queries is in a real scrape of a pipeline run.
 * (No Docker engine is needed: nothing here starts a container.)
 */
class DeploymentFilesTest {

    @RegisterExtension
    static final EmbeddedBrokerExtension KAFKA = new EmbeddedBrokerExtension();

    @TempDir
    static Path state;

    private static final Path ROOT = repositoryRoot();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Compose service -> the streamtrain command it runs. */
    private static final Map<String, String> APP_SERVICES = Map.of(
            "producer", "produce", "trainer", "train", "evaluator", "evaluate");

    /** Metric names the dashboard may use: the services' own, and the JVM/process/Kafka-client binders'. */
    private static final Pattern METRIC_NAME =
            Pattern.compile("\\b((?:streamtrain|jvm|process|kafka)_[a-zA-Z0-9_:]*)");
    /** Labels Prometheus adds to every series at scrape time (not in the exposition). */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    private static String scrape;

    // ---------------------------------------------------------------- (a) docker-compose.yml

    @Test
    void composeHasEveryServiceAndAKafkaBrokerOfTheClientsVersion() throws IOException {
        JsonNode services = compose().path("services");
        assertThat(fieldNames(services))
                .contains("kafka", "producer", "trainer", "evaluator", "prometheus", "grafana");

        JsonNode kafka = services.path("kafka");
        // The broker image has the Kafka version the services' clients (and the embedded broker) have.
        String clientVersion = AppInfoParser.getVersion();
        String minor = clientVersion.substring(0, clientVersion.lastIndexOf('.'));
        assertThat(kafka.path("image").asText()).matches("apache/kafka:" + Pattern.quote(minor) + "\\.\\d+");

        JsonNode env = kafka.path("environment");
        assertThat(env.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(env.path("KAFKA_LISTENERS").asText()).isEqualTo("PLAINTEXT://:9092,CONTROLLER://:9093");
        assertThat(env.path("KAFKA_ADVERTISED_LISTENERS").asText()).isEqualTo("PLAINTEXT://kafka:9092");
        assertThat(env.path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText())
                .isEqualTo(env.path("KAFKA_NODE_ID").asText() + "@kafka:9093");
        assertThat(env.path("KAFKA_CONTROLLER_LISTENER_NAMES").asText()).isEqualTo("CONTROLLER");
        assertThat(env.path("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").asText())
                .contains("CONTROLLER:PLAINTEXT", "PLAINTEXT:PLAINTEXT");
        for (String oneBroker : List.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")) {
            assertThat(env.path(oneBroker).asInt()).as(oneBroker).isEqualTo(1);
        }
        assertThat(env.path("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText()).isEqualTo("false");
        // A broker limit below the snapshot topic's max.message.bytes would refuse snapshots.
        assertThat(env.path("KAFKA_MESSAGE_MAX_BYTES").asLong()).isGreaterThanOrEqualTo(TopicConfigs.MAX_SNAPSHOT_BYTES);
        assertThat(healthcheck(kafka)).contains("/opt/kafka/bin/kafka-broker-api-versions.sh",
                "--bootstrap-server localhost:9092");
    }

    @Test
    void composeCommandsParseWithTheRealCliAndMatchThePrometheusTargets() throws IOException {
        JsonNode services = compose().path("services");
        Map<String, String> targets = prometheusTargets();
        String advertised = services.path("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText()
                .replace("PLAINTEXT://", "");
        Map<String, String> streams = new TreeMap<>();
        for (Map.Entry<String, String> app : APP_SERVICES.entrySet()) {
            String name = app.getKey();
            JsonNode service = services.path(name);
            List<String> command = strings(service.path("command"));
            assertThat(command).as("%s's command (exec form)", name).isNotEmpty();

            // picocli throws on an unknown option or a value it cannot convert.
            ParseResult parsed = newCommandLine().parseArgs(command.toArray(String[]::new));
            assertThat(parsed.hasSubcommand()).isTrue();
            ParseResult sub = parsed.subcommand();
            assertThat(sub.commandSpec().name()).as("%s's command", name).isEqualTo(app.getValue());
            assertThat(sub.unmatched()).isEmpty();
            assertThat((String) sub.matchedOptionValue("--bootstrap-servers", null)).isEqualTo(advertised);

            Integer port = sub.matchedOptionValue("--metrics-port", null);
            assertThat(port).as("%s's --metrics-port", name).isNotNull();
            assertThat(targets).as("Prometheus target of job %s", name).containsEntry(name, name + ":" + port);
            assertThat((String) sub.matchedOptionValue("--metrics-bind", null))
                    .as("%s listens on every interface for Prometheus (the default is 127.0.0.1)", name)
                    .isEqualTo("0.0.0.0");
            // The healthcheck asks the metrics port too.
            assertThat(healthcheck(service)).contains("/dev/tcp/127.0.0.1/" + port + " ");

            assertThat(service.path("build").asText()).as("%s builds the repository's Dockerfile", name)
                    .isEqualTo(".");
            JsonNode kafkaDependency = service.path("depends_on").path("kafka");
            assertThat(kafkaDependency.path("condition").asText()).as("%s waits for a healthy broker", name)
                    .isEqualTo("service_healthy");
            if (!name.equals("evaluator")) {
                streams.put(name, sub.matchedOptionValue("--run-id", null));
            }
        }
        // The trainer trains the stream the producer produces.
        assertThat(streams.get("trainer")).isNotNull().isEqualTo(streams.get("producer"));
        // The producer is never restarted: producing again would append a second copy of the stream.
        assertThat(services.path("producer").path("restart").asText()).isEqualTo("no");
    }

    @Test
    void theCliRefusesAnUnknownOptionSoTheParseCheckMeansSomething() {
        assertThatThrownBy(() -> newCommandLine().parseArgs("produce", "--metrics-prot", "9401"))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class);
        assertThatThrownBy(() -> newCommandLine().parseArgs("evaluate", "--epochs", "10"))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class);
    }

    @Test
    void theProducersDatasetAndDownloadsAreOnItsDataVolume() throws IOException {
        JsonNode producer = compose().path("services").path("producer");
        ParseResult produce = newCommandLine().parseArgs(strings(producer.path("command")).toArray(String[]::new))
                .subcommand();
        Path data = produce.matchedOptionValue("--data", null);
        assertThat(data).isNotNull();
        Map<String, String> mounts = bindMounts(producer);
        assertThat(mounts).containsEntry("./data", "/data");
        assertThat(data.toString()).startsWith("/data/");
        // DatasetLocator downloads into ./data/<dataset>/ under the working directory.
        Path downloads = Path.of(producer.path("working_dir").asText("/")).resolve("data/fashion-mnist");
        assertThat(downloads.toString()).isEqualTo(data.toString());
    }

    @Test
    void everyFileMountedFromTheRepositoryExists() throws IOException {
        JsonNode services = compose().path("services");
        List<String> checked = new ArrayList<>();
        for (String name : fieldNames(services)) {
            for (Map.Entry<String, String> mount : bindMounts(services.path(name)).entrySet()) {
                if (mount.getKey().equals("./data")) {
                    continue; // the dataset directory: git-ignored, made by Docker and filled by the producer
                }
                assertThat(ROOT.resolve(mount.getKey())).as("%s mounts %s", name, mount.getKey()).exists();
                checked.add(mount.getKey());
            }
        }
        assertThat(checked).contains("./deploy/prometheus/prometheus.yml", "./deploy/grafana/provisioning",
                "./deploy/grafana/dashboards");
        assertThat(ROOT.resolve("Dockerfile")).exists();
    }

    @Test
    void grafanaMountsItsProvisioningAndDashboardsAndFindsPrometheus() throws IOException {
        JsonNode services = compose().path("services");
        JsonNode grafana = services.path("grafana");
        Map<String, String> mounts = bindMounts(grafana);
        assertThat(mounts).containsEntry("./deploy/grafana/provisioning", "/etc/grafana/provisioning");
        String dashboardsDir = mounts.get("./deploy/grafana/dashboards");
        assertThat(dashboardsDir).isNotNull();
        assertThat(grafana.path("environment").path("GF_AUTH_ANONYMOUS_ENABLED").asText()).isEqualTo("true");
        assertThat(grafana.path("environment").path("GF_AUTH_ANONYMOUS_ORG_ROLE").asText()).isEqualTo("Viewer");
        assertThat(grafana.path("depends_on").has("prometheus")).isTrue();

        // The dashboard provider reads the directory the dashboards are mounted on ...
        JsonNode providers = YAML.readTree(ROOT.resolve("deploy/grafana/provisioning/dashboards/streamtrain.yml")
                .toFile()).path("providers");
        assertThat(providers).hasSize(1);
        assertThat(providers.get(0).path("type").asText()).isEqualTo("file");
        assertThat(providers.get(0).path("options").path("path").asText()).isEqualTo(dashboardsDir);
        // ... and the home dashboard is one of them.
        String home = grafana.path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
        assertThat(home).startsWith(dashboardsDir + "/");
        assertThat(ROOT.resolve("deploy/grafana/dashboards").resolve(home.substring(dashboardsDir.length() + 1)))
                .exists();

        // The data source is the compose Prometheus, under the uid the dashboard names.
        JsonNode datasources = YAML.readTree(ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml")
                .toFile()).path("datasources");
        assertThat(datasources).hasSize(1);
        JsonNode prometheus = datasources.get(0);
        assertThat(prometheus.path("uid").asText()).isEqualTo("prometheus");
        assertThat(prometheus.path("type").asText()).isEqualTo("prometheus");
        assertThat(prometheus.path("isDefault").asBoolean()).isTrue();
        assertThat(prometheus.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(strings(services.path("prometheus").path("ports"))).contains("9090:9090");
        assertThat(bindMounts(services.path("prometheus")))
                .containsEntry("./deploy/prometheus/prometheus.yml", "/etc/prometheus/prometheus.yml");
        assertThat(strings(grafana.path("ports"))).contains("3000:3000");
    }

    /**
     * The kernel choice ./streamtrain and the image share: a value the user set is kept, an empty
     * one lets OpenBLAS detect the CPU, and unset means SkylakeX exactly where this CPU has AVX-512
     * F, BW, DQ and VL.
     */
    @Test
    void openBlasKernelsAreChosenOnlyWhereTheUserChoseNone() throws Exception {
        assertThat(kernelsAfterScript("Haswell")).isEqualTo("Haswell");
        assertThat(kernelsAfterScript("")).isEqualTo("(unset)");
        String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags"))
                .findFirst().orElse("") + " ";
        boolean avx512 = Stream.of("avx512f", "avx512bw", "avx512dq", "avx512vl")
                .allMatch(f -> flags.contains(" " + f + " "));
        assertThat(kernelsAfterScript(null)).isEqualTo(avx512 ? "SkylakeX" : "(unset)");
    }

    /** OPENBLAS_CORETYPE after sourcing bin/openblas-kernels.sh in sh, from {@code coreType} (null: unset). */
    private static String kernelsAfterScript(String coreType) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c",
                ". ./bin/openblas-kernels.sh && echo \"${OPENBLAS_CORETYPE-(unset)}\"").directory(ROOT.toFile());
        builder.environment().remove("OPENBLAS_CORETYPE");
        if (coreType != null) {
            builder.environment().put("OPENBLAS_CORETYPE", coreType);
        }
        Process process = builder.redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        return out.strip();
    }

    @Test
    void theDockerfileBuildsAndRunsTheLauncherJar() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).contains("FROM maven:3.9-eclipse-temurin-17 AS build", "FROM eclipse-temurin:17-jre",
                "/src/launcher/target/streamtrain.jar /app/streamtrain.jar", "OMP_NUM_THREADS=1",
                "COPY bin/openblas-kernels.sh /app/openblas-kernels.sh",
                "ENTRYPOINT [\"/bin/sh\", \"-c\", \". /app/openblas-kernels.sh && exec java -Xmx2g -cp "
                        + "'/app/streamtrain.jar:/app/plugins/*' dev.streamtrain.launcher.StreamtrainCommand \\\"$@\\\"\", "
                        + "\"streamtrain\"]");
        assertThat(Pattern.compile("^EXPOSE 9401 9402 9403$", Pattern.MULTILINE).matcher(dockerfile).find()).isTrue();
        // The jar the build stage copies is the one launcher/pom.xml builds.
        assertThat(Files.readString(ROOT.resolve("launcher/pom.xml"))).contains("<finalName>streamtrain</finalName>");
        assertThat(Files.readAllLines(ROOT.resolve(".dockerignore"))).contains("target/", ".streamtrain/", "data/");
    }

    // ---------------------------------------------------------------- (b) prometheus.yml

    @Test
    void prometheusScrapesExactlyTheThreeServicesEveryFiveSeconds() throws IOException {
        JsonNode config = YAML.readTree(ROOT.resolve("deploy/prometheus/prometheus.yml").toFile());
        assertThat(config.path("global").path("scrape_interval").asText()).isEqualTo("5s");
        assertThat(prometheusTargets()).isEqualTo(Map.of(
                "producer", "producer:9401", "trainer", "trainer:9402", "evaluator", "evaluator:9403"));
        for (JsonNode job : config.path("scrape_configs")) {
            assertThat(job.path("metrics_path").asText()).isEqualTo(MetricsEndpoint.PATH);
        }
    }

    @Test
    void promtoolAcceptsThePrometheusConfig() throws Exception {
        Optional<Path> promtool = onPath("promtool");
        Assumptions.assumeTrue(promtool.isPresent(), "promtool is not installed: config not checked by promtool");
        Result result = run(promtool.get().toString(), "check", "config",
                ROOT.resolve("deploy/prometheus/prometheus.yml").toString());
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void promtoolParsesEveryDashboardQuery(@TempDir Path temp) throws Exception {
        Optional<Path> promtool = onPath("promtool");
        Assumptions.assumeTrue(promtool.isPresent(), "promtool is not installed: PromQL not checked by promtool");
        // Each panel query as a recording rule, with the dashboard's variable as Grafana expands "All".
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        for (String expr : dashboardQueries()) {
            rules.append("      - record: dashboard:query").append(i++).append('\n')
                    .append("        expr: ").append(JSON.writeValueAsString(expr.replace("$run", ".*"))).append('\n');
        }
        Path file = temp.resolve("dashboard-rules.yml");
        Files.writeString(file, rules);
        Result result = run(promtool.get().toString(), "check", "rules", file.toString());
        assertThat(result.exit()).as("%s%n%s", rules, result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + i + " rules found");
    }

    // ---------------------------------------------------------------- (c) metric names vs. a real scrape

    @Test
    void everyServiceMetricTheDashboardQueriesIsInARealScrapeWithItsLabels() throws Exception {
        Map<String, Set<String>> scraped = seriesLabels(scrape());
        Map<String, Set<String>> used = dashboardMetricLabels();
        Map<String, Set<String>> service = new TreeMap<>(used);
        service.keySet().removeIf(name -> name.startsWith("kafka_"));
        assertThat(service.keySet()).contains("streamtrain_train_loss", "streamtrain_train_epoch_loss",
                "streamtrain_test_loss", "streamtrain_test_accuracy", "streamtrain_train_samples_total",
                "streamtrain_val_loss", "streamtrain_val_accuracy", "streamtrain_train_epoch_accuracy",
                "streamtrain_test_class_accuracy",
                "streamtrain_snapshot_to_metric_seconds_sum", "streamtrain_snapshot_to_metric_seconds_count",
                "jvm_memory_used_bytes");
        assertScrapeHas(scraped, service);
    }

    @Test
    void theConsumerLagMetricIsInARealScrape() throws Exception {
        Map<String, Set<String>> scraped = seriesLabels(scrape());
        Map<String, Set<String>> kafka = new TreeMap<>(dashboardMetricLabels());
        kafka.keySet().removeIf(name -> !name.startsWith("kafka_"));
        assertThat(kafka).containsKey("kafka_consumer_fetch_manager_records_lag_max");
        assertScrapeHas(scraped, kafka);
    }

    /** Every metric of {@code used} is in the scrape, with at least the labels used. */
    private static void assertScrapeHas(Map<String, Set<String>> scraped, Map<String, Set<String>> used) {
        for (Map.Entry<String, Set<String>> metric : used.entrySet()) {
            assertThat(scraped).as("the scrape has %s", metric.getKey()).containsKey(metric.getKey());
            assertThat(scraped.get(metric.getKey())).as("labels of %s", metric.getKey())
                    .containsAll(metric.getValue());
        }
    }

    // ---------------------------------------------------------------- (d) the dashboard

    @Test
    void theDashboardHasTheRunVariableAndTheEightPanels() throws IOException {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("uid").asText()).isEqualTo("streamtrain");
        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);

        JsonNode variables = dashboard.path("templating").path("list");
        assertThat(variables).hasSize(1);
        JsonNode run = variables.get(0);
        assertThat(run.path("name").asText()).isEqualTo("run");
        assertThat(run.path("type").asText()).isEqualTo("query");
        assertThat(run.path("definition").asText()).isEqualTo("label_values(streamtrain_train_loss, run)");
        assertThat(run.path("query").path("query").asText()).isEqualTo("label_values(streamtrain_train_loss, run)");
        assertThat(run.path("multi").asBoolean()).isTrue();
        assertThat(run.path("includeAll").asBoolean()).isTrue();
        assertThat(run.path("datasource").path("uid").asText()).isEqualTo("prometheus");

        Map<String, String> panels = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("prometheus");
            List<String> exprs = new ArrayList<>();
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
            panels.put(panel.path("title").asText(), String.join(" ; ", exprs));
        }
        assertThat(panels).containsOnly(
                Map.entry("Train loss per run", "streamtrain_train_loss{run=~\"$run\"} ; "
                        + "streamtrain_train_epoch_loss{run=~\"$run\"}"),
                Map.entry("Validation and test loss per run", "streamtrain_val_loss{run=~\"$run\"} ; "
                        + "streamtrain_test_loss{run=~\"$run\"}"),
                Map.entry("Train, validation and test accuracy per run",
                        "streamtrain_train_epoch_accuracy{run=~\"$run\"} ; streamtrain_val_accuracy{run=~\"$run\"} ; "
                                + "streamtrain_test_accuracy{run=~\"$run\"}"),
                Map.entry("Test accuracy per class", "streamtrain_test_class_accuracy{run=~\"$run\"}"),
                Map.entry("Training throughput (samples/s)", "rate(streamtrain_train_samples_total{run=~\"$run\"}[1m])"),
                Map.entry("Consumer lag (max records)",
                        "max by (job, client_id) (kafka_consumer_fetch_manager_records_lag_max)"),
                Map.entry("Snapshot to metric latency",
                        "rate(streamtrain_snapshot_to_metric_seconds_sum{run=~\"$run\"}[5m]) / "
                                + "rate(streamtrain_snapshot_to_metric_seconds_count{run=~\"$run\"}[5m])"),
                Map.entry("JVM memory used", "sum by (job, area) (jvm_memory_used_bytes)"));
        // Panels filtered by run follow the variable; the others are per service.
        panels.forEach((title, expr) -> {
            if (expr.startsWith("streamtrain_") || expr.contains("(streamtrain_")) {
                assertThat(expr).as(title).contains("run=~\"$run\"");
            }
        });
        Set<Integer> ids = new TreeSet<>();
        dashboard.path("panels").forEach(p -> ids.add(p.path("id").asInt()));
        assertThat(ids).hasSize(8);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * One small pipeline run on the embedded broker, scraped over HTTP from a real MetricsEndpoint while
     * it runs (Kafka client metrics live as long as their clients) and once after: all scrapes joined.
     */
    private static synchronized String scrape() throws Exception {
        if (scrape == null) {
            TopicNames topics = TopicNames.DEFAULT.withPrefix(KAFKA.uniquePrefix());
            ImageDataset train = SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, 2000, 1);
            ImageDataset test = SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, 100, 2);
            // With a validation split, so the dashboard's validation panels have their series.
            LocalRun run = new LocalRun("deployed", 2, 50, 50, new Sampling(true, false, 42, 200), 42,
                    TrainingRecipe.tutorial(0.05), 0, 1, topics, false);
            StringBuilder scrapes = new StringBuilder();
            try (MetricsEndpoint endpoint = MetricsEndpoint.start(0)) {
                HttpClient http = HttpClient.newHttpClient();
                HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.url())).build();
                CompletableFuture<LocalResult> done = CompletableFuture.supplyAsync(() -> {
                    try {
                        return new LocalPipeline(KafkaSettings.of(KAFKA.bootstrapServers()), state,
                                new PrintStream(OutputStream.nullOutputStream()), endpoint.registry())
                                .run(run, train, test);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                while (!done.isDone()) {
                    scrapes.append(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
                    Thread.sleep(500);
                }
                done.get();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                scrapes.append(response.body());
                scrape = scrapes.toString();
            }
        }
        return scrape;
    }

    /** Metric name -> the label names its series carry, from a Prometheus text exposition. */
    static Map<String, Set<String>> seriesLabels(String exposition) {
        Pattern series = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? \\S+$", Pattern.MULTILINE);
        Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
        Map<String, Set<String>> labels = new TreeMap<>();
        Matcher m = series.matcher(exposition);
        while (m.find()) {
            Set<String> names = labels.computeIfAbsent(m.group(1), k -> new TreeSet<>());
            if (m.group(3) != null) {
                Matcher l = label.matcher(m.group(3));
                while (l.find()) {
                    names.add(l.group(1));
                }
            }
        }
        return labels;
    }

    /**
     * Every metric the dashboard queries (panels and the variable), with the labels the queries need
     * it to have: those its selectors match on, those {@code by (...)} groups it by, and those legends
     * print. Labels Prometheus adds itself (job, instance) are left out.
     */
    private static Map<String, Set<String>> dashboardMetricLabels() throws IOException {
        Map<String, Set<String>> used = new TreeMap<>();
        JsonNode dashboard = dashboard();
        List<String[]> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new String[] {target.path("expr").asText(), target.path("legendFormat").asText()});
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            queries.add(new String[] {variable.path("definition").asText(), ""});
        }
        Pattern selector = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
        Pattern matcherLabel = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
        Pattern by = Pattern.compile("\\bby\\s*\\(([^)]*)\\)\\s*\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");
        Pattern labelValues = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*(\\w+)\\s*\\)");
        Pattern legend = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");
        for (String[] query : queries) {
            String expr = query[0];
            Set<String> names = new LinkedHashSet<>();
            Matcher n = METRIC_NAME.matcher(expr);
            while (n.find()) {
                names.add(n.group(1));
                used.computeIfAbsent(n.group(1), k -> new TreeSet<>());
            }
            Matcher s = selector.matcher(expr);
            while (s.find()) {
                Matcher l = matcherLabel.matcher(s.group(2));
                while (l.find()) {
                    addLabel(used, s.group(1), l.group(1));
                }
            }
            Matcher b = by.matcher(expr);
            while (b.find()) {
                for (String l : b.group(1).split(",")) {
                    addLabel(used, b.group(2), l.trim());
                }
            }
            Matcher v = labelValues.matcher(expr);
            while (v.find()) {
                addLabel(used, v.group(1), v.group(2));
            }
            Matcher g = legend.matcher(query[1]);
            while (g.find()) {
                for (String name : names) {
                    addLabel(used, name, g.group(1));
                }
            }
        }
        return used;
    }

    private static void addLabel(Map<String, Set<String>> used, String metric, String label) {
        if (METRIC_NAME.matcher(metric).matches() && !TARGET_LABELS.contains(label)) {
            used.computeIfAbsent(metric, k -> new TreeSet<>()).add(label);
        }
    }

    private static List<String> dashboardQueries() throws IOException {
        List<String> exprs = new ArrayList<>();
        dashboard().path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        return exprs;
    }

    private static JsonNode dashboard() throws IOException {
        return JSON.readTree(ROOT.resolve("deploy/grafana/dashboards/streamtrain.json").toFile());
    }

    private static JsonNode compose() throws IOException {
        return YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
    }

    /** Job name -> its one target, from deploy/prometheus/prometheus.yml. */
    private static Map<String, String> prometheusTargets() throws IOException {
        JsonNode config = YAML.readTree(ROOT.resolve("deploy/prometheus/prometheus.yml").toFile());
        Map<String, String> targets = new TreeMap<>();
        for (JsonNode job : config.path("scrape_configs")) {
            List<String> all = new ArrayList<>();
            job.path("static_configs").forEach(c -> all.addAll(strings(c.path("targets"))));
            assertThat(all).as("targets of job %s", job.path("job_name").asText()).hasSize(1);
            assertThat(targets.put(job.path("job_name").asText(), all.get(0))).isNull();
        }
        return targets;
    }

    /** A service's bind mounts (short syntax {@code ./source:target[:mode]}), source -> target. */
    private static Map<String, String> bindMounts(JsonNode service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (String volume : strings(service.path("volumes"))) {
            String[] parts = volume.split(":");
            if (parts[0].startsWith("./")) {
                mounts.put(parts[0], parts[1]);
            }
        }
        return mounts;
    }

    private static String healthcheck(JsonNode service) {
        List<String> test = strings(service.path("healthcheck").path("test"));
        assertThat(test).as("healthcheck").isNotEmpty();
        return String.join(" ", test);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static CommandLine newCommandLine() {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        return StreamtrainCommand.newCommandLine(discard, discard);
    }

    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (with docker-compose.yml) above "
                + Path.of("").toAbsolutePath());
    }

    private static Optional<Path> onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
