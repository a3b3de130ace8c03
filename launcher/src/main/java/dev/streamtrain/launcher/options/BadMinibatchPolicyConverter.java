package dev.streamtrain.launcher.options;

import dev.streamtrain.trainer.BadMinibatchPolicy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** {@code --on-bad-minibatch}: {@code fail} or {@code skip}, as typed in lower case. */
public final class BadMinibatchPolicyConverter implements ITypeConverter<BadMinibatchPolicy> {

    @Override
    public BadMinibatchPolicy convert(String value) {
        return Arrays.stream(BadMinibatchPolicy.values()).filter(p -> p.label().equals(value.trim())).findFirst()
                .orElseThrow(() -> new TypeConversionException("'" + value + "' is not a policy; use one of "
                        + Arrays.stream(BadMinibatchPolicy.values()).map(BadMinibatchPolicy::label)
                        .collect(Collectors.joining(", "))));
    }
}
