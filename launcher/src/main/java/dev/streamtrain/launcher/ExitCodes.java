package dev.streamtrain.launcher;

/** The exit codes of every command. */
public final class ExitCodes {

    public static final int OK = 0;
    /** Something failed that is not the user's input: a bug, a broker that went away. */
    public static final int INTERNAL_ERROR = 1;
    /** Bad options, missing or malformed data, undecodable records, credentials or ACLs the cluster refuses. */
    public static final int INVALID_INPUT = 2;
    /** {@code replay}: at least one snapshot of the replayed run differs from the original. */
    public static final int NOT_REPRODUCED = 3;
    /** The run diverged: a loss or a parameter became NaN or infinite; the run is recorded DIVERGED. */
    public static final int DIVERGED = 4;

    private ExitCodes() {
    }
}
