package dev.streamtrain.model;

/**
 * The class a network predicts for a sample, as streamtrain counts it everywhere (training accuracy
 * in every engine, the evaluator's test and validation loops): the argmax of the sample's outputs,
 * the first maximum on ties, as {@code torch.argmax} picks it.
 */
public final class Predictions {

    private Predictions() {
    }

    /** The index in {@code [0, classes)} of the largest of {@code outputs[from .. from + classes)}, the first on ties. */
    public static int argmax(float[] outputs, int from, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (outputs[from + c] > outputs[from + best]) {
                best = c;
            }
        }
        return best;
    }
}
