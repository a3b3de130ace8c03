package dev.streamtrain.engine.dl4j;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.loss.CrossEntropyLoss;
import dev.streamtrain.model.loss.Loss;
import dev.streamtrain.model.loss.MseLoss;
import dev.streamtrain.model.loss.OutputActivation;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A snapshot's network as a DL4J {@code ModelSerializer} zip, whatever engine trained it, for
 * DL4J users: {@code MultiLayerNetwork.load(file, false)} restores it with plain DL4J on the class
 * path, nothing of streamtrain's. Its {@code output(x)} is what the snapshot's network predicts, for
 * {@code x} of one row per sample holding the sample's C×H×W values (the NCHW tensor flattened in C
 * order, as {@code x.view(len(x), -1)} in torch; pixels after ToTensor and the run's transforms).
 * DL4J has the losses cross-entropy (softmax + MCXENT) and MSE itself; a network trained with another
 * loss is written with the one of the same output activation: log-softmax (nll) and softmax ones as
 * softmax + MCXENT, so the exported network outputs probabilities (the exponentials of nll's
 * log-probabilities, the same argmax); identity ones as MSE.
 */
public final class Dl4jModelExport {

    private Dl4jModelExport() {
    }

    /** Writes the network of {@code architecture} with {@code parameters} (layout order) to {@code zip}. */
    public static void write(Architecture architecture, Loss loss, float[] parameters, Path zip) throws IOException {
        Dl4jNetwork network = new Dl4jNetwork(architecture, exportedLoss(loss), DataType.FLOAT);
        network.setParameters(parameters);
        network.writeModel(zip);
    }

    /** The loss DL4J configures itself that stands for {@code loss} in an exported network. */
    static Loss exportedLoss(Loss loss) {
        if (loss instanceof CrossEntropyLoss || loss instanceof MseLoss) {
            return loss;
        }
        return loss.output() == OutputActivation.IDENTITY ? new MseLoss() : new CrossEntropyLoss();
    }
}
