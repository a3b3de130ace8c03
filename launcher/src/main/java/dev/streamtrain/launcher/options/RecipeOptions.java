package dev.streamtrain.launcher.options;

import dev.streamtrain.launcher.spec.SpecKeys;
import dev.streamtrain.launcher.spec.SpecSettings;
import dev.streamtrain.launcher.spec.SpecValues;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to train and how: model and options, loss, optimizer and hyperparameters (PyTorch's names),
 * learning-rate schedule, snapshot interval, engine. Each flag is a spec key with dashes (README, "Run specs").
 */
public final class RecipeOptions {

    @Option(names = "--model", paramLabel = "NAME",
            description = "Network: tutorial-mlp (default), mlp, convnet-small, lenet5, or a registered one.")
    String model;

    @Option(names = "--hidden", paramLabel = "N,N,...", split = ",",
            description = "mlp: hidden layer sizes (default 512,512).")
    List<Integer> hidden;

    @Option(names = "--activation", paramLabel = "NAME",
            description = "mlp, convnet-small: relu (default), tanh, sigmoid; convnet-small also identity.")
    String activation;

    @Option(names = "--dropout", paramLabel = "P", description = "mlp: dropout probability after each hidden layer.")
    Double dropout;

    @Option(names = "--batch-norm", negatable = true,
            description = "mlp: BatchNorm1d before each hidden activation.")
    Boolean batchNorm;

    @Option(names = "--channels", paramLabel = "N", description = "convnet-small: convolution channels (default 8).")
    Integer channels;

    @Option(names = "--kernel-size", paramLabel = "N", description = "convnet-small: kernel size (default 3).")
    Integer kernelSize;

    @Option(names = "--model-option", paramLabel = "KEY=VALUE",
            description = "Any model option, e.g. of a model of your own: --model-option width=4.")
    Map<String, String> modelOptions = new LinkedHashMap<>();

    @Option(names = "--loss", paramLabel = "NAME",
            description = "cross-entropy (default), nll, mse, or a registered one.")
    String loss;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "sgd (default), adam, adamw, rmsprop, adagrad; PyTorch's defaults for what is not given.")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (sgd default: 1e-3, the tutorial's).")
    Double lr;

    @Option(names = "--momentum", paramLabel = "M", description = "sgd, rmsprop: momentum.")
    Double momentum;

    @Option(names = "--dampening", paramLabel = "D", description = "sgd: dampening of the momentum.")
    Double dampening;

    @Option(names = "--nesterov", negatable = true, description = "sgd: Nesterov momentum.")
    Boolean nesterov;

    @Option(names = "--weight-decay", paramLabel = "L2", description = "Every optimizer: weight decay.")
    Double weightDecay;

    @Option(names = "--betas", paramLabel = "B1,B2", split = ",", description = "adam, adamw: betas.")
    List<Double> betas;

    @Option(names = "--eps", paramLabel = "EPS", description = "adam, adamw, rmsprop, adagrad: eps.")
    Double eps;

    @Option(names = "--amsgrad", negatable = true, description = "adam, adamw: AMSGrad.")
    Boolean amsgrad;

    @Option(names = "--alpha", paramLabel = "A", description = "rmsprop: smoothing constant.")
    Double alpha;

    @Option(names = "--centered", negatable = true, description = "rmsprop: centered.")
    Boolean centered;

    @Option(names = "--lr-decay", paramLabel = "D", description = "adagrad: learning-rate decay.")
    Double lrDecay;

    @Option(names = "--initial-accumulator-value", paramLabel = "V", description = "adagrad: initial accumulator.")
    Double initialAccumulatorValue;

    @Option(names = "--schedule", paramLabel = "NAME",
            description = "Learning-rate schedule: constant (default), step, exponential, cosine.")
    String schedule;

    @Option(names = "--step-size", paramLabel = "N", description = "step: epochs (or steps) between decays.")
    Integer stepSize;

    @Option(names = "--gamma", paramLabel = "G", description = "step, exponential: decay factor.")
    Double gamma;

    @Option(names = "--t-max", paramLabel = "N", description = "cosine: epochs (or steps) of a half cosine.")
    Integer tMax;

    @Option(names = "--eta-min", paramLabel = "LR", description = "cosine: the lowest learning rate (default 0).")
    Double etaMin;

    @Option(names = "--interval", paramLabel = "epoch|step",
            description = "step, exponential, cosine: advance per epoch (default) or per step.")
    String interval;

    @Option(names = "--normalize-mean", paramLabel = "M,M,...", split = ",",
            description = "Normalize(mean, std) after ToTensor, in trainer and evaluator: the per-channel means "
                    + "(normalize_mean; one value for every channel, e.g. 0.5).")
    List<Double> normalizeMean;

    @Option(names = "--normalize-std", paramLabel = "S,S,...", split = ",",
            description = "Normalize's per-channel standard deviations (normalize_std).")
    List<Double> normalizeStd;

    @Option(names = "--print-accuracy", negatable = true,
            description = "Print each reported batch's training accuracy with its loss, as the MNIST variant does "
                    + "(print_accuracy; default false).")
    Boolean printAccuracy;

    @Option(names = "--engine", paramLabel = "NAME",
            description = "What computes the network (engine): auto (default: blas where it computes every layer, "
                    + "else dl4j), dl4j (the reference; every layer) or blas (OpenBLAS; Linear, Conv2d, MaxPool2d, "
                    + "ReLU, Tanh, Sigmoid and Dropout layers: MLPs and convnets without BatchNorm; faster). The run "
                    + "spec records the engine used.")
    String engine;

    @Option(names = "--snapshot-every", paramLabel = "BATCHES",
            description = "Also publish a snapshot every this many batches (snapshot_every; default 0: only at the "
                    + "end of each epoch).")
    Integer snapshotEvery;

    public SpecSettings settings() {
        SpecSettings settings = SpecSettings.empty()
                .putIfGiven(SpecKeys.MODEL, model, "--model")
                .putIfGiven("hidden", hidden, "--hidden")
                .putIfGiven("activation", activation, "--activation")
                .putIfGiven("dropout", dropout, "--dropout")
                .putIfGiven("batch_norm", batchNorm, "--batch-norm")
                .putIfGiven("channels", channels, "--channels")
                .putIfGiven("kernel_size", kernelSize, "--kernel-size")
                .putIfGiven(SpecKeys.LOSS, loss, "--loss")
                .putIfGiven(SpecKeys.OPTIMIZER, optimizer, "--optimizer")
                .putIfGiven("lr", lr, "--lr")
                .putIfGiven("momentum", momentum, "--momentum")
                .putIfGiven("dampening", dampening, "--dampening")
                .putIfGiven("nesterov", nesterov, "--nesterov")
                .putIfGiven("weight_decay", weightDecay, "--weight-decay")
                .putIfGiven("betas", betas, "--betas")
                .putIfGiven("eps", eps, "--eps")
                .putIfGiven("amsgrad", amsgrad, "--amsgrad")
                .putIfGiven("alpha", alpha, "--alpha")
                .putIfGiven("centered", centered, "--centered")
                .putIfGiven("lr_decay", lrDecay, "--lr-decay")
                .putIfGiven("initial_accumulator_value", initialAccumulatorValue, "--initial-accumulator-value")
                .putIfGiven(SpecKeys.SCHEDULE, schedule, "--schedule")
                .putIfGiven("step_size", stepSize, "--step-size")
                .putIfGiven("gamma", gamma, "--gamma")
                .putIfGiven("t_max", tMax, "--t-max")
                .putIfGiven("eta_min", etaMin, "--eta-min")
                .putIfGiven("interval", interval, "--interval")
                .putIfGiven(SpecKeys.NORMALIZE_MEAN, normalizeMean, "--normalize-mean")
                .putIfGiven(SpecKeys.NORMALIZE_STD, normalizeStd, "--normalize-std")
                .putIfGiven(SpecKeys.PRINT_ACCURACY, printAccuracy, "--print-accuracy")
                .putIfGiven(SpecKeys.SNAPSHOT_EVERY, snapshotEvery, "--snapshot-every")
                .putIfGiven(SpecKeys.ENGINE, engine, "--engine");
        modelOptions.forEach((key, value) -> settings.put(key, SpecValues.parse(value), "--model-option"));
        return settings;
    }
}
