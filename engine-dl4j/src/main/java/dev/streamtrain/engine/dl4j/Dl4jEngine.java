package dev.streamtrain.engine.dl4j;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Engine;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.loss.Loss;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The {@code dl4j} engine: networks computed by Deeplearning4j/ND4J on the CPU, in float32 like
 * torch's default dtype. Registered in {@code META-INF/services/dev.streamtrain.model.Engine}.
 */
public final class Dl4jEngine implements Engine {

    public static final String NAME = "dl4j";

    private static final String VERSION = readVersion();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public void setMathThreads(int threads) {
        MathThreads.apply(threads);
    }

    @Override
    public Network create(Architecture architecture, Loss loss) {
        return new Dl4jNetwork(architecture, loss, DataType.FLOAT);
    }

    /** A network computing in {@code dataType}: DOUBLE for gradient checks. */
    Dl4jNetwork create(Architecture architecture, Loss loss, DataType dataType) {
        return new Dl4jNetwork(architecture, loss, dataType);
    }

    private static String readVersion() {
        Properties properties = new Properties();
        try (InputStream in = Dl4jEngine.class.getResourceAsStream("engine.properties")) {
            if (in == null) {
                throw new IllegalStateException("engine.properties missing from the DL4J engine's jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("dl4j.version");
    }
}
