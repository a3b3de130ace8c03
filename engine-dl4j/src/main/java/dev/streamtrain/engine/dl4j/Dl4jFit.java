package dev.streamtrain.engine.dl4j;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.loss.Loss;
import dev.streamtrain.model.optim.Adagrad;
import dev.streamtrain.model.optim.Adam;
import dev.streamtrain.model.optim.OptimizerSpec;
import dev.streamtrain.model.optim.RmsProp;
import dev.streamtrain.model.optim.Sgd;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.Optional;

/**
 * DL4J's own training loop on an architecture: a {@link MultiLayerNetwork} configured by
 * {@link Dl4jConfiguration} with DL4J's updater nearest to the run's optimizer, trained with
 * {@code fit(DataSet)}. Never trains a run (DL4J's updaters are not PyTorch's rules, see the
 * README); {@code streamtrain bench} compares the engine's step with it.
 */
public final class Dl4jFit {

    /** A minibatch as DL4J's {@code fit} takes it, built once before timing. */
    public static final class Batch {
        private final DataSet dataSet;

        private Batch(DataSet dataSet) {
            this.dataSet = dataSet;
        }
    }

    private final MultiLayerNetwork network;
    private final String updater;

    private Dl4jFit(Architecture architecture, Loss loss, IUpdater updater, long seed) {
        this.network = new MultiLayerNetwork(new Dl4jConfiguration(architecture, loss, DataType.FLOAT, updater)
                .configuration());
        network.init();
        // Any values will do for timing: dense kernels cost the same whatever they multiply.
        Nd4j.getRandom().setSeed(seed);
        network.params().assign(Nd4j.rand(DataType.FLOAT, network.params().shape()).subi(0.5).muli(0.1));
        this.updater = updater.toString();
    }

    /** Why DL4J has no updater for {@code optimizer}'s rule, or empty if it has one. */
    public static Optional<String> unsupported(OptimizerSpec optimizer) {
        return updater(optimizer).isPresent() ? Optional.empty()
                : Optional.of("DL4J has no updater for " + optimizer.describe() + " (only plain SGD, Adam, RMSprop and "
                + "Adagrad without weight decay, momentum, centering, AMSGrad or lr decay)");
    }

    /** {@code architecture} with {@code loss}, trained by DL4J with the updater nearest to {@code optimizer}. */
    public static Dl4jFit create(Architecture architecture, Loss loss, OptimizerSpec optimizer, long seed) {
        IUpdater updater = updater(optimizer).orElseThrow(
                () -> new IllegalArgumentException(unsupported(optimizer).orElseThrow()));
        return new Dl4jFit(architecture, loss, updater, seed);
    }

    public Batch prepare(TensorBatch batch) {
        return new Batch(new DataSet(Dl4jNetwork.features(batch, DataType.FLOAT),
                Dl4jNetwork.oneHot(batch, DataType.FLOAT)));
    }

    /** One {@code fit}: forward, loss, backward and DL4J's update. */
    public void fit(Batch batch) {
        network.fit(batch.dataSet);
    }

    /** The mean loss of the last {@link #fit}'s batch, as DL4J computed it before its update. */
    public double score() {
        return network.score();
    }

    /** DL4J's updater, as DL4J prints it. */
    public String updater() {
        return updater;
    }

    private static Optional<IUpdater> updater(OptimizerSpec optimizer) {
        if (optimizer instanceof Sgd sgd && sgd.momentum() == 0 && sgd.weightDecay() == 0) {
            return Optional.of(new org.nd4j.linalg.learning.config.Sgd(sgd.lr()));
        }
        if (optimizer instanceof Adam adam && adam.weightDecay() == 0 && !adam.amsgrad()) {
            return Optional.of(new org.nd4j.linalg.learning.config.Adam(adam.lr(), adam.betas().beta1(),
                    adam.betas().beta2(), adam.eps()));
        }
        if (optimizer instanceof RmsProp rms && rms.weightDecay() == 0 && rms.momentum() == 0 && !rms.centered()) {
            return Optional.of(new org.nd4j.linalg.learning.config.RmsProp(rms.lr(), rms.alpha(), rms.eps()));
        }
        if (optimizer instanceof Adagrad adagrad && adagrad.weightDecay() == 0 && adagrad.lrDecay() == 0
                && adagrad.initialAccumulatorValue() == 0) {
            return Optional.of(new AdaGrad(adagrad.lr(), adagrad.eps()));
        }
        return Optional.empty();
    }
}
