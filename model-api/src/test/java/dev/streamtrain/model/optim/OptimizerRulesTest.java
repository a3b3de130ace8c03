package dev.streamtrain.model.optim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every optimizer's first three steps against PyTorch: the expected values were printed by
 * {@code torch.optim} 1.13.1 (script: src/test/resources/dev/streamtrain/model/optim/torch_optimizer_steps.py),
 * for parameters [0.5, -1.0, 0.25] and the gradients below; the first steps are also worked out by
 * hand from the update rules in torch's documentation.
 */
class OptimizerRulesTest {

    private static final float[] START = {0.5f, -1.0f, 0.25f};
    private static final float[][] GRADIENTS = {{0.1f, -0.2f, 0.3f}, {-0.05f, 0.4f, 0.0f}, {0.2f, 0.1f, -0.3f}};
    /** float32 computed in another order than torch's kernels may differ in the last bit or two. */
    private static final double ULPS = 4e-7;

    static Stream<Arguments> torch() {
        return Stream.of(
                Arguments.of("sgd", new Sgd(0.1, 0, 0, false, 0), new float[][] {
                        {0.49000001f, -0.980000019f, 0.219999999f}, {0.495000005f, -1.01999998f, 0.219999999f},
                        {0.474999994f, -1.02999997f, 0.25f}}),
                Arguments.of("sgd momentum", new Sgd(0.1, 0.9, 0, false, 0), new float[][] {
                        {0.49000001f, -0.980000019f, 0.219999999f}, {0.486000001f, -1.00199997f, 0.193000004f},
                        {0.462399989f, -1.03180003f, 0.198700011f}}),
                Arguments.of("sgd dampening weight_decay", new Sgd(0.1, 0.9, 0.1, false, 0.01), new float[][] {
                        {0.489499986f, -0.978999972f, 0.219750002f}, {0.484109432f, -0.995218873f, 0.192327231f},
                        {0.460822225f, -1.01792014f, 0.194473639f}}),
                Arguments.of("sgd nesterov", new Sgd(0.1, 0.9, 0, true, 0.01), new float[][] {
                        {0.480049998f, -0.960099995f, 0.192524999f}, {0.480132908f, -1.0172658f, 0.167656705f},
                        {0.437227309f, -1.05064631f, 0.20212996f}}),
                Arguments.of("adam", Adam.defaults().withLr(0.01), new float[][] {
                        {0.49000001f, -0.99000001f, 0.239999995f}, {0.487336636f, -0.993661046f, 0.233299419f},
                        {0.480755508f, -0.997817576f, 0.234158099f}}),
                Arguments.of("adam amsgrad weight_decay", new Adam(0.01, new Betas(0.8, 0.9), 1e-8, 0.1, true),
                        new float[][] {
                        {0.49000001f, -0.99000001f, 0.239999995f}, {0.483924806f, -0.99112767f, 0.233308256f},
                        {0.475725114f, -0.991936922f, 0.234135896f}}),
                Arguments.of("adamw", AdamW.defaults().withLr(0.01), new float[][] {
                        {0.489950001f, -0.989899993f, 0.23997499f}, {0.487237632f, -0.993462026f, 0.233250409f},
                        {0.480607778f, -0.997519195f, 0.234085754f}}),
                Arguments.of("adamw amsgrad", new AdamW(0.01, Betas.DEFAULT, 1e-8, 0.1, true), new float[][] {
                        {0.489500016f, -0.989000022f, 0.239749998f}, {0.486347139f, -0.991672099f, 0.232813016f},
                        {0.479279667f, -0.994836986f, 0.233438879f}}),
                Arguments.of("rmsprop", RmsProp.defaults(), new float[][] {
                        {0.400000095f, -0.900000036f, 0.150000036f}, {0.444901377f, -0.989532292f, 0.150000036f},
                        {0.357427448f, -1.01147962f, 0.221065134f}}),
                Arguments.of("rmsprop momentum centered", new RmsProp(0.01, 0.99, 1e-8, 0.1, 0.9, true),
                        new float[][] {
                        {0.399496287f, -0.899496257f, 0.149496257f}, {0.315790683f, -0.881083429f, 0.054399576f},
                        {0.155567303f, -0.867287815f, 0.036301408f}}),
                Arguments.of("adagrad", Adagrad.defaults().withLr(0.1), new float[][] {
                        {0.399999976f, -0.899999976f, 0.150000006f}, {0.444721341f, -0.989442706f, 0.150000006f},
                        {0.357434183f, -1.01126444f, 0.220710695f}}),
                Arguments.of("adagrad lr_decay", new Adagrad(0.1, 0.5, 0.1, 0.2, 1e-10), new float[][] {
                        {0.468200058f, -0.944291413f, 0.191211969f}, {0.468649477f, -0.977192461f, 0.188907504f},
                        {0.445465416f, -0.97737664f, 0.211559549f}}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("torch")
    void firstThreeStepsAreTorchs(String name, OptimizerSpec spec, float[][] expected) {
        float[] params = START.clone();
        Optimizer optimizer = new Optimizer(spec, params.length);
        for (int step = 0; step < 3; step++) {
            optimizer.step(params, GRADIENTS[step].clone(), new int[] {0, params.length}, spec.lr());
            for (int i = 0; i < params.length; i++) {
                assertThat(params[i]).as("%s step %d parameter %d", name, step + 1, i)
                        .isCloseTo(expected[step][i], within((float) ULPS));
            }
        }
        assertThat(optimizer.steps()).isEqualTo(3);
    }

    @Test
    void firstStepsByHand() {
        // SGD: p - lr g
        assertThat(firstStep(Sgd.of(0.1))[0]).isEqualTo(0.5f - 0.1f * 0.1f);
        // SGD with momentum: the buffer starts as the gradient, so step 1 is plain SGD
        assertThat(firstStep(new Sgd(0.1, 0.9, 0.5, false, 0))[0]).isEqualTo(0.5f - 0.1f * 0.1f);
        // Nesterov: g + mu * b = (1 + mu) g at step 1
        assertThat(firstStep(new Sgd(0.1, 0.9, 0, true, 0))[0]).isCloseTo(0.5f - 0.1f * 1.9f * 0.1f, within(1e-7f));
        // Adam: m_hat = g, v_hat = g^2 at step 1, so p - lr * g / (|g| + eps) = p - lr * sign(g)
        assertThat(firstStep(Adam.defaults().withLr(0.01))[1]).isCloseTo(-1.0f + 0.01f, within(1e-7f));
        // AdamW: first p (1 - lr wd), then the Adam step
        assertThat(firstStep(AdamW.defaults().withLr(0.01))[0])
                .isCloseTo(0.5f * (1 - 0.01f * 0.01f) - 0.01f, within(1e-7f));
        // RMSprop: v = (1 - alpha) g^2, so p - lr g / (sqrt(0.01) |g| + eps) = p - 0.1 sign(g) at lr 0.01
        assertThat(firstStep(RmsProp.defaults())[2]).isCloseTo(0.25f - 0.1f, within(1e-6f));
        // Adagrad: s = g^2, p - lr g / |g|
        assertThat(firstStep(Adagrad.defaults())[0]).isCloseTo(0.5f - 0.01f, within(1e-7f));
    }

    @Test
    void onlyTheGivenRangesMoveSoBuffersAreLeftAlone() {
        float[] params = {1f, 2f, 3f, 4f};
        Optimizer optimizer = new Optimizer(new Sgd(0.5, 0, 0, false, 0.1), 4);
        optimizer.step(params, new float[] {1f, 1f, 1f, 1f}, new int[] {0, 1, 3, 4}, 0.5);
        assertThat(params[1]).isEqualTo(2f);
        assertThat(params[2]).isEqualTo(3f);
        assertThat(params[0]).isNotEqualTo(1f);
        assertThat(params[3]).isNotEqualTo(4f);
    }

    @Test
    void stateRestoredMidRunContinuesExactlyAsAnUninterruptedRun() {
        OptimizerSpec spec = new Adam(0.01, new Betas(0.8, 0.9), 1e-8, 0.1, true);
        float[] uninterrupted = START.clone();
        Optimizer one = new Optimizer(spec, 3);
        for (float[] g : GRADIENTS) {
            one.step(uninterrupted, g.clone(), new int[] {0, 3}, 0.01);
        }
        float[] resumed = START.clone();
        Optimizer before = new Optimizer(spec, 3);
        before.step(resumed, GRADIENTS[0].clone(), new int[] {0, 3}, 0.01);
        Optimizer after = new Optimizer(spec, 3);
        float[][] saved = new float[3][];
        for (int slot = 0; slot < 3; slot++) {
            saved[slot] = before.state()[slot].clone();
        }
        after.restore(saved, before.steps());
        after.step(resumed, GRADIENTS[1].clone(), new int[] {0, 3}, 0.01);
        after.step(resumed, GRADIENTS[2].clone(), new int[] {0, 3}, 0.01);
        assertThat(resumed).isEqualTo(uninterrupted);
    }

    @Test
    void stateNamesAreTorchsAndFollowTheConfiguration() {
        assertThat(Sgd.of(1e-3).stateNames()).isEmpty();
        assertThat(new Sgd(1e-3, 0.9, 0, false, 0).stateNames()).containsExactly("momentum_buffer");
        assertThat(Adam.defaults().stateNames()).containsExactly("exp_avg", "exp_avg_sq");
        assertThat(new AdamW(1e-3, null, 1e-8, 0, true).stateNames())
                .containsExactly("exp_avg", "exp_avg_sq", "max_exp_avg_sq");
        assertThat(new RmsProp(1e-2, 0.99, 1e-8, 0, 0.9, true).stateNames())
                .containsExactly("square_avg", "momentum_buffer", "grad_avg");
        assertThat(Adagrad.defaults().stateNames()).containsExactly("sum");
        assertThat(new Optimizer(new Adagrad(0.1, 0, 0, 0.25, 1e-10), 2).state()[0]).containsExactly(0.25f, 0.25f);
    }

    private static float[] firstStep(OptimizerSpec spec) {
        float[] params = START.clone();
        new Optimizer(spec, 3).step(params, GRADIENTS[0].clone(), new int[] {0, 3}, spec.lr());
        return params;
    }
}
