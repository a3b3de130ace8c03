package dev.streamtrain.launcher.spec;

import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.transform.Normalize;
import dev.streamtrain.model.optim.Adam;
import dev.streamtrain.model.optim.RmsProp;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.schedule.Constant;
import dev.streamtrain.model.schedule.Interval;
import dev.streamtrain.model.schedule.StepLR;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RecipeBuilderTest {

    private static final TrainingRecipe TUTORIAL = TrainingRecipe.tutorial();

    @Test
    void nothingGivenIsTheTutorial() {
        assertThat(RecipeBuilder.build(SpecSettings.empty(), TUTORIAL)).isEqualTo(TUTORIAL);
    }

    @Test
    void aNewOptimizerStartsFromTorchsDefaultsAndGivenParametersGoOnTop() {
        TrainingRecipe adam = RecipeBuilder.build(flags("optimizer", TextNode.valueOf("Adam")), TUTORIAL);
        assertThat(adam.optimizer()).isEqualTo(Adam.defaults());
        TrainingRecipe rmsprop = RecipeBuilder.build(flags("optimizer", TextNode.valueOf("rmsprop"), "momentum",
                DoubleNode.valueOf(0.9)), TUTORIAL);
        assertThat(rmsprop.optimizer()).isEqualTo(new RmsProp(1e-2, 0.99, 1e-8, 0, 0.9, false));
    }

    @Test
    void keepingTheOptimizerChangesOnlyTheParametersGiven() {
        TrainingRecipe base = TUTORIAL.withOptimizer(new Sgd(0.01, 0.9, 0, true, 1e-4));
        TrainingRecipe changed = RecipeBuilder.build(flags("lr", DoubleNode.valueOf(0.1)), base);
        assertThat(changed.optimizer()).isEqualTo(new Sgd(0.1, 0.9, 0, true, 1e-4));
    }

    @Test
    void modelOptionsScheduleAndLossAreResolvedAndChecked() {
        TrainingRecipe recipe = RecipeBuilder.build(flags("model", TextNode.valueOf("mlp"), "hidden",
                new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(List.of(64)), "loss",
                TextNode.valueOf("nll"), "schedule", TextNode.valueOf("step"), "step_size", IntNode.valueOf(3)),
                TUTORIAL);
        assertThat(recipe.model()).isEqualTo("mlp");
        assertThat(recipe.modelOptions()).containsExactly(Map.entry("hidden", List.of(64)),
                Map.entry("activation", "relu"), Map.entry("dropout", 0.0), Map.entry("batchNorm", false));
        assertThat(recipe.loss()).isEqualTo("nll");
        assertThat(recipe.schedule()).isEqualTo(new StepLR(3, 0.1, Interval.EPOCH));
        assertThat(recipe.describe()).isEqualTo("model mlp(hidden=[64], activation=relu, dropout=0.0, "
                + "batch_norm=false), loss nll, optimizer SGD(lr=0.001, momentum=0, dampening=0, nesterov=False, "
                + "weight_decay=0), schedule StepLR(step_size=3, gamma=0.1, interval=epoch)");
        // back to the base model: its options again
        assertThat(RecipeBuilder.build(flags("schedule", TextNode.valueOf("constant")), recipe).modelOptions())
                .isEqualTo(recipe.modelOptions());
        assertThat(RecipeBuilder.build(flags("schedule", TextNode.valueOf("constant")), recipe).schedule())
                .isEqualTo(new Constant());
    }

    @Test
    void errorsNameTheFieldTheFixAndWhereItWasSet() {
        assertThatIllegalArgumentException().isThrownBy(() -> RecipeBuilder.build(flags("lr", DoubleNode.valueOf(0)),
                TUTORIAL)).withMessage("optimizer sgd: sgd: lr must be a finite number > 0, got 0.0 (the tutorial uses "
                        + "1e-3) (set by --lr)");
        assertThatIllegalArgumentException().isThrownBy(() -> RecipeBuilder.build(flags("optimizer",
                TextNode.valueOf("adam"), "momentum", DoubleNode.valueOf(0.9)), TUTORIAL))
                .withMessage("optimizer parameter 'momentum' is a parameter of sgd and rmsprop, not of adam (adam takes "
                        + "lr, betas, eps, weight_decay, amsgrad) (set by --momentum, --optimizer)");
        assertThatIllegalArgumentException().isThrownBy(() -> RecipeBuilder.build(flags("hidden",
                new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(List.of(3))), TUTORIAL))
                .withMessage("model option 'hidden' is an option of mlp, not of tutorial-mlp (tutorial-mlp takes no "
                        + "options) (set by --hidden)");
        assertThatIllegalArgumentException().isThrownBy(() -> RecipeBuilder.build(flags("loss",
                TextNode.valueOf("hinge")), TUTORIAL))
                .withMessageStartingWith("unknown loss 'hinge'; known: [cross-entropy, nll, mse")
                .withMessageEndingWith("(set by --loss)");
        assertThatIllegalArgumentException().isThrownBy(() -> RecipeBuilder.build(flags("schedule",
                TextNode.valueOf("step")), TUTORIAL)).withMessageContaining("schedule step needs step_size");
    }

    /** Settings as flags would give them: key, value pairs, each from --key. */
    @Test
    void normalizeMeanAndStdMakeTheRecipesNormalize() {
        TrainingRecipe normalized = RecipeBuilder.build(flags("normalize_mean", TextNode.valueOf("0.5"),
                "normalize_std", TextNode.valueOf("0.25")), TUTORIAL);
        assertThat(normalized.transforms()).containsExactly(new Normalize(new double[] {0.5}, new double[] {0.25}));
        assertThat(normalized.describe()).endsWith(", transforms ToTensor(), Normalize(mean=[0.5], std=[0.25])");
        TrainingRecipe perChannel = RecipeBuilder.build(flags("normalize_mean",
                new ObjectMapper().valueToTree(List.of(0.49, 0.48, 0.45)), "normalize_std",
                TextNode.valueOf("0.25,0.24,0.26")), TUTORIAL);
        assertThat(perChannel.transforms()).containsExactly(new Normalize(new double[] {0.49, 0.48, 0.45},
                new double[] {0.25, 0.24, 0.26}));
    }

    @Test
    void oneHalfOfNormalizeChangesTheBasesAndIsAnErrorWithoutOne() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RecipeBuilder.build(flags("normalize_mean", TextNode.valueOf("0.5")), TUTORIAL))
                .withMessageContaining("normalize_mean needs normalize_std too").withMessageContaining("--normalize-mean");
        TrainingRecipe base = RecipeBuilder.build(flags("normalize_mean", TextNode.valueOf("0.5"), "normalize_std",
                TextNode.valueOf("0.5")), TUTORIAL);
        TrainingRecipe replayed = RecipeBuilder.build(flags("normalize_std", DoubleNode.valueOf(0.3)), base);
        assertThat(replayed.transforms()).containsExactly(new Normalize(new double[] {0.5}, new double[] {0.3}));
        assertThat(RecipeBuilder.build(SpecSettings.empty(), base)).isEqualTo(base);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RecipeBuilder.build(flags("normalize_mean", TextNode.valueOf("0.5"),
                        "normalize_std", TextNode.valueOf("0")), TUTORIAL))
                .withMessageContaining("stds > 0").withMessageContaining("--normalize-std");
    }

    private static SpecSettings flags(Object... pairs) {
        SpecSettings settings = SpecSettings.empty();
        for (int i = 0; i < pairs.length; i += 2) {
            String key = (String) pairs[i];
            settings.put(key, (com.fasterxml.jackson.databind.JsonNode) pairs[i + 1], "--" + key.replace('_', '-'));
        }
        return settings;
    }
}
