package dev.streamtrain.contracts.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class EnvironmentTest {

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void rejectsFewerThanOneMathThread(int threads) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Environment("v", "d", "k", "j", "os", "arch", threads))
                .withMessage("environment.mathThreads must be >= 1, got " + threads);
    }

    @Test
    void namesTheMissingField() {
        assertThatNullPointerException().isThrownBy(() -> new Environment("v", "d", "k", "j", null, "arch", 1))
                .withMessage("environment.os");
        assertThatNullPointerException().isThrownBy(() -> new Environment(null, "d", "k", "j", "os", "arch", 1))
                .withMessage("environment.streamtrainVersion");
    }

    /** The OpenBLAS kernels a run was told to use: written when set, absent (null) in older specs and when unset. */
    @Test
    void recordsTheOpenBlasKernelsOnlyWhenSet() throws Exception {
        Environment detected = new Environment("0.1", "M2.1", "4.3.1", "17", "Linux", "amd64", 1);
        assertThat(detected.blasCoreType()).isNull();
        String json = RunSpecJson.MAPPER.writeValueAsString(detected);
        assertThat(json).doesNotContain("blasCoreType");
        assertThat(RunSpecJson.MAPPER.readValue(json, Environment.class)).isEqualTo(detected);
        Environment skylake = new Environment("0.1", "M2.1", "4.3.1", "17", "Linux", "amd64", 1, "SkylakeX");
        String written = RunSpecJson.MAPPER.writeValueAsString(skylake);
        assertThat(written).endsWith(",\"mathThreads\":1,\"blasCoreType\":\"SkylakeX\"}");
        assertThat(RunSpecJson.MAPPER.readValue(written, Environment.class)).isEqualTo(skylake);
        assertThat(EnvironmentProbe.current(1).blasCoreType()).isEqualTo(System.getenv("OPENBLAS_CORETYPE"));
    }

    /** The OpenMP threads the convolutions split their sums among: written when set, absent in older specs and when unset. */
    @Test
    void recordsTheOpenMpThreadsOnlyWhenSet() throws Exception {
        Environment before = new Environment("0.1", "M2.1", "4.3.1", "17", "Linux", "amd64", 1, "Haswell");
        assertThat(before.ompNumThreads()).isNull();
        assertThat(RunSpecJson.MAPPER.writeValueAsString(before)).doesNotContain("ompNumThreads");
        Environment one = new Environment("0.1", "M2.1", "4.3.1", "17", "Linux", "amd64", 1, null, "1");
        String written = RunSpecJson.MAPPER.writeValueAsString(one);
        assertThat(written).endsWith(",\"mathThreads\":1,\"ompNumThreads\":\"1\"}");
        assertThat(RunSpecJson.MAPPER.readValue(written, Environment.class)).isEqualTo(one);
        assertThat(EnvironmentProbe.current(1).ompNumThreads()).isEqualTo(System.getenv("OMP_NUM_THREADS"));
    }

    @Test
    void keepsItsValues() {
        Environment env = new Environment("0.1", "M2.1", "4.3.1", "17", "Linux", "amd64", 4);
        assertThat(env.mathThreads()).isEqualTo(4);
        assertThat(env.arch()).isEqualTo("amd64");
        assertThat(env.kafkaVersion()).isEqualTo("4.3.1");
    }
}
