package dev.streamtrain.model;

import dev.streamtrain.contracts.wire.TensorLayout;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

/**
 * Moves parameters between a DL4J network and the snapshot layout: each tensor by its DL4J key,
 * row-major (C order) on the wire whatever order DL4J keeps it in internally.
 */
public final class ParameterLayout {

    private ParameterLayout() {
    }

    /** The network's parameters in layout order, each tensor row-major. */
    public static float[] read(MultiLayerNetwork network, List<TensorLayout> layout) {
        Map<String, INDArray> table = network.paramTable(false);
        float[] out = new float[Math.toIntExact(layout.stream().mapToLong(TensorLayout::size).sum())];
        int at = 0;
        for (TensorLayout tensor : layout) {
            INDArray values = param(table, tensor);
            float[] flat = values.dup('c').data().asFloat();
            System.arraycopy(flat, 0, out, at, flat.length);
            at += flat.length;
        }
        return out;
    }

    /** Overwrites the network's parameters with {@code values}, given in layout order. */
    public static void write(MultiLayerNetwork network, List<TensorLayout> layout, float[] values) {
        long expected = layout.stream().mapToLong(TensorLayout::size).sum();
        if (values.length != expected) {
            throw new IllegalArgumentException("layout " + layout + " holds " + expected + " values, got "
                    + values.length);
        }
        Map<String, INDArray> table = network.paramTable(false);
        int at = 0;
        for (TensorLayout tensor : layout) {
            INDArray target = param(table, tensor);
            int size = (int) tensor.size();
            float[] slice = new float[size];
            System.arraycopy(values, at, slice, 0, size);
            target.assign(Nd4j.create(slice, target.shape(), 'c').castTo(DataType.FLOAT));
            at += size;
        }
    }

    private static INDArray param(Map<String, INDArray> table, TensorLayout tensor) {
        INDArray values = table.get(tensor.name());
        if (values == null) {
            throw new IllegalArgumentException("network has no parameter '" + tensor.name() + "'; it has "
                    + table.keySet());
        }
        if (values.length() != tensor.size()) {
            throw new IllegalArgumentException("parameter '" + tensor.name() + "' holds " + values.length()
                    + " values, layout says " + tensor);
        }
        return values;
    }
}
