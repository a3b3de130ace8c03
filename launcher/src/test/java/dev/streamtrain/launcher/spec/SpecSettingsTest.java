package dev.streamtrain.launcher.spec;

import com.fasterxml.jackson.databind.node.DoubleNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SpecSettingsTest {

    @TempDir
    Path dir;

    @Test
    void sectionsMayBeNamesOrMappingsAndEveryOtherKeyStandsAtTheTop() throws IOException {
        SpecSettings settings = SpecSettings.fromYaml(write("""
                dataset: mnist
                batch_size: 128
                model: {name: mlp, hidden: [256, 128], batch_norm: true}
                optimizer:
                  name: adam
                  lr: 1e-3
                  betas: [0.8, 0.99]
                schedule: cosine
                t_max: 10
                """));
        assertThat(settings.keys()).containsExactly("dataset", "batch_size", "model", "hidden", "batch_norm",
                "optimizer", "lr", "betas", "schedule", "t_max");
        assertThat(settings.text("model")).contains("mlp");
        assertThat(settings.intValue("batch_size", 64)).isEqualTo(128);
        assertThat(settings.get("lr").orElseThrow().source()).endsWith("spec.yaml");
    }

    @Test
    void laterSourcesOverrideEarlierOnes() throws IOException {
        SpecSettings file = SpecSettings.fromYaml(write("optimizer: {name: sgd, lr: 0.1}\nepochs: 10\n"));
        SpecSettings flags = SpecSettings.empty().put("lr", DoubleNode.valueOf(0.5), "--lr");
        SpecSettings merged = file.overriddenBy(flags);
        assertThat(merged.get("lr").orElseThrow().value().asDouble()).isEqualTo(0.5);
        assertThat(merged.get("lr").orElseThrow().source()).isEqualTo("--lr");
        assertThat(merged.intValue("epochs", 1)).isEqualTo(10);
    }

    @Test
    void unknownAndMisplacedKeysAreRefusedNamingTheFile() throws IOException {
        Path unknown = write("lerning_rate: 0.1\n");
        assertThatIllegalArgumentException().isThrownBy(() -> SpecSettings.fromYaml(unknown))
                .withMessageStartingWith(unknown + ": unknown key 'lerning_rate'; known keys: dataset, dataset_format, "
                        + "classes, batch_size, test_batch_size, epochs, shuffle, drop_last, val_fraction, val_size, "
                        + "normalize_mean, normalize_std, seed, snapshot_every, print_accuracy, engine, model,");
        Path misplaced = write("optimizer: {name: adam, hidden: [3]}\n");
        assertThatIllegalArgumentException().isThrownBy(() -> SpecSettings.fromYaml(misplaced))
                .withMessage(misplaced + ": 'hidden' does not belong under 'optimizer'; it belongs with 'model' or at the "
                        + "top level");
        Path twice = write("optimizer: {name: sgd, lr: 0.1}\nlr: 0.2\n");
        assertThatIllegalArgumentException().isThrownBy(() -> SpecSettings.fromYaml(twice))
                .withMessage(twice + ": 'lr' is set twice");
        Path nameless = write("model: {hidden: [3]}\n");
        assertThatIllegalArgumentException().isThrownBy(() -> SpecSettings.fromYaml(nameless))
                .withMessage(nameless + ": 'model' needs a 'name', e.g. model: {name: ..., ...}");
    }

    @Test
    void aFileThatIsNotAMappingOrNotYamlOrMissingIsNamed() throws IOException {
        Path list = write("- a\n- b\n");
        assertThatIllegalArgumentException().isThrownBy(() -> SpecSettings.fromYaml(list))
                .withMessage("spec file " + list + " must be a mapping of keys (dataset, model, optimizer, ...), not a "
                        + "array");
        Path broken = write("model: [unclosed\n");
        assertThatIllegalArgumentException().isThrownBy(() -> SpecSettings.fromYaml(broken))
                .withMessageStartingWith("spec file " + broken + " is not valid YAML: ");
        assertThatIllegalArgumentException().isThrownBy(() -> SpecSettings.fromYaml(dir.resolve("nope.yaml")))
                .withMessage("spec file " + dir.resolve("nope.yaml") + " does not exist");
        assertThat(SpecSettings.fromYaml(write("")).isEmpty()).isTrue();
    }

    @Test
    void valuesOfTheWrongTypeNameTheKeyAndSource() throws IOException {
        SpecSettings settings = SpecSettings.fromYaml(write("batch_size: lots\nshuffle: maybe\nepochs: 2.5\n"));
        assertThatIllegalArgumentException().isThrownBy(() -> settings.intValue("batch_size", 64))
                .withMessage("batch_size must be a whole number, got \"lots\" (from " + dir.resolve("spec.yaml") + ")");
        assertThatIllegalArgumentException().isThrownBy(() -> settings.booleanValue("shuffle", true))
                .withMessageStartingWith("shuffle must be true or false, got \"maybe\"");
        assertThatIllegalArgumentException().isThrownBy(() -> settings.intValue("epochs", 1))
                .withMessageStartingWith("epochs must be a whole number, got 2.5");
    }

    @Test
    void commandLineValuesAreYamlFlowValues() {
        assertThat(SpecValues.parse("1e-3").asDouble()).isEqualTo(0.001);
        assertThat(SpecValues.parse("true").asBoolean()).isTrue();
        assertThat(SpecValues.parse("[256, 128]").toString()).isEqualTo("[256,128]");
        assertThat(SpecValues.parseList("1e-3,1e-2")).extracting(v -> v.asDouble()).containsExactly(0.001, 0.01);
        assertThat(SpecValues.parseList("[256,128],[512]")).extracting(Object::toString)
                .containsExactly("[256,128]", "[512]");
        assertThatIllegalArgumentException().isThrownBy(() -> SpecValues.parseList("1,,2"))
                .withMessage("'1,,2' holds an empty value");
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("spec.yaml"), yaml);
    }
}
