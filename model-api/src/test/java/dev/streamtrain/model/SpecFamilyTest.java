package dev.streamtrain.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.streamtrain.model.optim.Adam;
import dev.streamtrain.model.optim.AdamW;
import dev.streamtrain.model.optim.Betas;
import dev.streamtrain.model.optim.OptimizerSpec;
import dev.streamtrain.model.optim.RmsProp;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.schedule.CosineAnnealingLR;
import dev.streamtrain.model.schedule.Interval;
import dev.streamtrain.model.schedule.ScheduleSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SpecFamilyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SpecFamily<OptimizerSpec> OPTIMIZERS = SpecFamily.OPTIMIZERS;

    @Test
    void optimizersHaveTorchsNamesAndParameters() {
        assertThat(OPTIMIZERS.names()).containsExactly("sgd", "adam", "adamw", "rmsprop", "adagrad");
        assertThat(OPTIMIZERS.parameters("sgd")).containsExactly("lr", "momentum", "dampening", "nesterov",
                "weight_decay");
        assertThat(OPTIMIZERS.parameters("adam")).containsExactly("lr", "betas", "eps", "weight_decay", "amsgrad");
        assertThat(OPTIMIZERS.parameters("rmsprop")).containsExactly("lr", "alpha", "eps", "weight_decay", "momentum",
                "centered");
        assertThat(OPTIMIZERS.parameters("adagrad")).containsExactly("lr", "lr_decay", "weight_decay",
                "initial_accumulator_value", "eps");
        assertThat(SpecFamily.SCHEDULES.names()).containsExactly("constant", "step", "exponential", "cosine");
    }

    @Test
    void aNameAloneIsTorchsDefaults() {
        assertThat(OPTIMIZERS.create("sgd", Map.of())).isEqualTo(Sgd.of(1e-3));
        assertThat(OPTIMIZERS.create("adam", Map.of())).isEqualTo(new Adam(1e-3, new Betas(0.9, 0.999), 1e-8, 0, false));
        assertThat(OPTIMIZERS.create("adamw", Map.of())).isEqualTo(new AdamW(1e-3, Betas.DEFAULT, 1e-8, 0.01, false));
        assertThat(OPTIMIZERS.create("rmsprop", Map.of())).isEqualTo(new RmsProp(1e-2, 0.99, 1e-8, 0, 0, false));
    }

    @Test
    void parametersAreTakenBySnakeCaseNameAndTextIsCoerced() {
        OptimizerSpec adam = OPTIMIZERS.create("adam", Map.of("lr", TextNode.valueOf("1e-2"), "betas",
                JSON.valueToTree(List.of(0.8, 0.9)), "weight_decay", DoubleNode.valueOf(0.1), "amsgrad",
                BooleanNode.TRUE));
        assertThat(adam).isEqualTo(new Adam(0.01, new Betas(0.8, 0.9), 1e-8, 0.1, true));
        assertThat(OPTIMIZERS.parametersOf(adam)).containsKeys("lr", "betas", "eps", "weight_decay", "amsgrad");
        assertThat(OPTIMIZERS.create("adam", OPTIMIZERS.parametersOf(adam))).isEqualTo(adam);
        assertThat(SpecFamily.SCHEDULES.create("cosine", Map.of("t_max", JSON.valueToTree(10), "interval",
                TextNode.valueOf("step")))).isEqualTo(new CosineAnnealingLR(10, 0, Interval.STEP));
    }

    @Test
    void aParameterOfAnotherOptimizerIsNamedWithItsOwners() {
        assertThatIllegalArgumentException().isThrownBy(() -> OPTIMIZERS.create("adam", Map.of("momentum",
                DoubleNode.valueOf(0.9)))).withMessage("optimizer parameter 'momentum' is a parameter of sgd and rmsprop, "
                        + "not of adam (adam takes lr, betas, eps, weight_decay, amsgrad)");
        assertThatIllegalArgumentException().isThrownBy(() -> OPTIMIZERS.create("sgd", Map.of("warmup",
                DoubleNode.valueOf(1)))).withMessage("optimizer parameter 'warmup' is not a parameter of any optimizer "
                        + "(sgd takes lr, momentum, dampening, nesterov, weight_decay)");
        assertThatIllegalArgumentException().isThrownBy(() -> OPTIMIZERS.create("lion", Map.of()))
                .withMessage("optimizer 'lion' is not known; use one of [sgd, adam, adamw, rmsprop, adagrad]");
    }

    @Test
    void outOfRangeValuesAreRefusedByTheOptimizer() {
        assertThatIllegalArgumentException().isThrownBy(() -> OPTIMIZERS.create("sgd", Map.of("lr",
                DoubleNode.valueOf(0)))).withMessage("optimizer sgd: sgd: lr must be a finite number > 0, got 0.0 (the "
                        + "tutorial uses 1e-3)");
        assertThatIllegalArgumentException().isThrownBy(() -> OPTIMIZERS.create("sgd", Map.of("nesterov",
                BooleanNode.TRUE))).withMessageContaining("nesterov momentum requires a momentum > 0");
        assertThatIllegalArgumentException().isThrownBy(() -> OPTIMIZERS.create("adam", Map.of("betas",
                JSON.valueToTree(List.of(0.9, 1.0))))).withMessageContaining("betas must both be in [0, 1)");
    }

    @Test
    void optimizerJsonOfEveryEarlierSpecReadsAsPlainSgd() throws Exception {
        assertThat(JSON.readValue("{\"name\":\"sgd\",\"learningRate\":0.001}", OptimizerSpec.class))
                .isEqualTo(Sgd.of(0.001));
        assertThat(JSON.writeValueAsString(new Sgd(0.01, 0.9, 0, true, 1e-4))).isEqualTo("{\"name\":\"sgd\","
                + "\"learningRate\":0.01,\"momentum\":0.9,\"dampening\":0.0,\"nesterov\":true,\"weightDecay\":1.0E-4}");
        for (OptimizerSpec spec : List.of(Adam.defaults(), AdamW.defaults(), RmsProp.defaults(),
                new Sgd(0.1, 0.9, 0.1, false, 0.5))) {
            assertThat(JSON.readValue(JSON.writeValueAsString(spec), OptimizerSpec.class)).isEqualTo(spec);
        }
        JsonNode schedule = JSON.valueToTree(new CosineAnnealingLR(5, 0.001, null));
        assertThat(schedule.toString()).isEqualTo("{\"name\":\"cosine\",\"tMax\":5,\"etaMin\":0.001,"
                + "\"interval\":\"epoch\"}");
        assertThat(JSON.treeToValue(schedule, ScheduleSpec.class)).isEqualTo(new CosineAnnealingLR(5, 0.001, null));
    }

    @Test
    void describesAsTorchPrints() {
        assertThat(Sgd.of(1e-3).describe()).isEqualTo("SGD(lr=0.001, momentum=0, dampening=0, nesterov=False, "
                + "weight_decay=0)");
        assertThat(Adam.defaults().describe()).isEqualTo("Adam(lr=0.001, betas=(0.9, 0.999), eps=1e-08, "
                + "weight_decay=0, amsgrad=False)");
    }
}
