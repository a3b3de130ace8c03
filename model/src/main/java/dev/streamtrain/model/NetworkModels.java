package dev.streamtrain.model;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The architectures streamtrain knows, by name. */
public final class NetworkModels {

    private static final Map<String, NetworkModel> BY_NAME = List.<NetworkModel>of(new TutorialMlp()).stream()
            .collect(Collectors.toUnmodifiableMap(NetworkModel::name, Function.identity()));

    private NetworkModels() {
    }

    public static NetworkModel byName(String name) {
        NetworkModel model = BY_NAME.get(name);
        if (model == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + BY_NAME.keySet());
        }
        return model;
    }
}
