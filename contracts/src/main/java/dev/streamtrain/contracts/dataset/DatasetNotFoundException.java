package dev.streamtrain.contracts.dataset;

/** No place held a dataset's files and none could be downloaded; the message says what was tried. */
public class DatasetNotFoundException extends Exception {

    public DatasetNotFoundException(String message) {
        super(message);
    }
}
