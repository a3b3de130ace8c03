package dev.streamtrain.contracts.run;

/** Where a run stands, as the runs topic records it. */
public enum RunStatus {
    /** Training; the record carries the latest committed snapshot, if any. */
    RUNNING,
    /** The final snapshot is committed. */
    FINISHED,
    /** The trainer stopped with an error; it can be restarted and resumes from the last snapshot. */
    FAILED,
    /** The loss became NaN or infinite; training stopped. */
    DIVERGED;

    public boolean isTerminal() {
        return this == FINISHED || this == DIVERGED;
    }
}
