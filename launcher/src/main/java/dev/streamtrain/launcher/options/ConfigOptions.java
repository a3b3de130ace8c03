package dev.streamtrain.launcher.options;

import dev.streamtrain.launcher.spec.SpecSettings;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --config FILE}: a YAML spec file; flags given with it override its keys. */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "A YAML spec file (dataset, model, loss, optimizer, schedule, batch_size, epochs, seed, "
                    + "snapshot_every, ...; see examples/); flags override its keys.")
    Path config;

    /** The file's settings, or none. */
    public SpecSettings settings() {
        return config == null ? SpecSettings.empty() : SpecSettings.fromYaml(config);
    }
}
