package dev.streamtrain.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The server's meters as Prometheus scrapes them. */
class ServingMetricsTest {

    @Test
    void theMetersHaveTheDocumentedPrometheusNamesAndTagsAndGoAwayOnClose() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ModelSlot slot = new ModelSlot();
        ServingMetrics metrics = new ServingMetrics(registry, "r", slot);
        assertThat(registry.scrape()).contains("streamtrain_served_snapshot_step{run=\"r\"} NaN");

        ServedModel model = new ServedModel(ServerFixtures.snapshot("r", 3), ServePolicy.LATEST, null);
        slot.serve(model);
        slot.serve(model);
        metrics.answered(ServingMetrics.Path.HTTP, 1, 2_000_000);
        metrics.answered(ServingMetrics.Path.KAFKA, 5, 1_000_000);
        String scrape = registry.scrape();
        assertThat(scrape)
                .contains("streamtrain_predictions_total{path=\"http\",run=\"r\"} 1.0")
                .contains("streamtrain_predictions_total{path=\"kafka\",run=\"r\"} 5.0")
                .contains("streamtrain_prediction_seconds_count{path=\"http\",run=\"r\"} 1")
                .contains("streamtrain_prediction_seconds_bucket{path=\"http\",run=\"r\",le=\"5.0E-5\"} 0")
                .contains("streamtrain_prediction_seconds_bucket{path=\"http\",run=\"r\",le=\"0.002097151\"} 1")
                .contains("streamtrain_prediction_seconds_bucket{path=\"http\",run=\"r\",le=\"0.001747626\"} 0")
                .contains("streamtrain_served_snapshot_step{run=\"r\"} 3.0")
                .contains("streamtrain_snapshot_swaps_total{run=\"r\"} 2.0")
                .contains("streamtrain_served_snapshot_age_seconds{run=\"r\"} ");
        double age = registry.get(ServingMetrics.AGE).gauge().value();
        assertThat(age).isCloseTo((System.currentTimeMillis() - model.snapshot().createdAtMillis()) / 1000.0,
                within(5.0));

        metrics.close();
        assertThat(registry.scrape()).doesNotContain("streamtrain_");
    }
}
