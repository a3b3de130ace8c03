package dev.streamtrain.trainer;

/** The loss became NaN or infinite: further steps would only spread it through the weights. */
public class RunDivergedException extends RuntimeException {

    public RunDivergedException(String message) {
        super(message);
    }
}
