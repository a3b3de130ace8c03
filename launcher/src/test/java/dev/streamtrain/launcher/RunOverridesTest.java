package dev.streamtrain.launcher;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RunOverridesTest {

    @Test
    void aGridIsEveryCombinationNamedByItsValues() {
        Map<String, String> set = new LinkedHashMap<>();
        set.put("optimizer", "sgd,adam");
        set.put("weight_decay", "0,1e-4");
        set.put("hidden", "[256,128],[512]");
        List<RunOverrides> grid = RunOverrides.parse(set).grid();

        assertThat(grid).hasSize(8);
        assertThat(grid).extracting(RunOverrides::suffix).contains("optimizersgd-weight_decay0-hidden256-128",
                "optimizeradam-weight_decay1.0E-4-hidden512");
        assertThat(grid.get(0).settings().get("hidden").orElseThrow().value().toString()).isEqualTo("[256,128]");
        assertThat(grid.get(0).settings().get("optimizer").orElseThrow().source()).isEqualTo("--set optimizer");
    }

    @Test
    void threadsAreNotASpecKeyButMayBeSet() {
        RunOverrides overrides = RunOverrides.parse(Map.of("threads", "2"));
        assertThat(overrides.threads(1)).isEqualTo(2);
        assertThat(overrides.settings().isEmpty()).isTrue();
        assertThatIllegalArgumentException().isThrownBy(() -> RunOverrides.parse(Map.of("threads", "0")))
                .withMessage("--set threads=0: '0' is not a number >= 1");
    }

    @Test
    void keysTheStreamFixesAndUnknownKeysAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> RunOverrides.parse(Map.of("epochs", "3")))
                .withMessage("--set epochs: the stream fixes epochs; produce a new stream to change it");
        assertThatIllegalArgumentException().isThrownBy(() -> RunOverrides.parse(Map.of("warmup", "3")))
                .withMessageStartingWith("--set warmup: unknown key 'warmup'; known keys: dataset,")
                .withMessageEndingWith(", threads");
    }
}
