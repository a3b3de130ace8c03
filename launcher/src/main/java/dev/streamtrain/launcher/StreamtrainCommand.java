package dev.streamtrain.launcher;

import dev.streamtrain.contracts.dataset.DatasetNotFoundException;
import dev.streamtrain.contracts.kafka.ClusterAccessException;
import dev.streamtrain.trainer.RunDivergedException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Optional;

/** {@code streamtrain}: the tutorial's training loop as a streaming system on Kafka. */
@Command(name = "streamtrain", mixinStandardHelpOptions = true,
        versionProvider = StreamtrainVersion.class,
        description = "The PyTorch tutorial's training loop as a streaming system on Apache Kafka.",
        subcommands = {LocalCommand.class, BrokerCommand.class, ProduceCommand.class, TrainCommand.class,
                EvaluateCommand.class, RunsCommand.class, SnapshotsCommand.class, ReplayCommand.class,
                SweepCommand.class, ReportCommand.class, ExportCommand.class, ServeCommand.class,
                BenchCommand.class})
public final class StreamtrainCommand implements Runnable {

    final PrintStream out;
    final PrintStream err;

    StreamtrainCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void run() {
        CommandLine.usage(this, out);
    }

    /** A command line writing to {@code out} and {@code err}, with the project's exit codes. */
    public static CommandLine newCommandLine(PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new StreamtrainCommand(out, err));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof RunDivergedException) {
                err.println("error: " + e.getMessage());
                return ExitCodes.DIVERGED; // the run's outcome, not a fault: no stack trace
            }
            Optional<ClusterAccessException> refused = ClusterAccessException.in(e);
            if (refused.isPresent()) {
                err.println("error: " + refused.get().getMessage());
                LoggerFactory.getLogger(StreamtrainCommand.class).debug("command failed", e);
                return ExitCodes.INVALID_INPUT; // credentials or ACLs to fix, not a fault: no stack trace
            }
            boolean invalidInput = e instanceof IllegalArgumentException || e instanceof DatasetNotFoundException
                    || e instanceof SerializationException || e instanceof UncheckedIOException;
            err.println("error: " + e.getMessage());
            LoggerFactory.getLogger(StreamtrainCommand.class).debug("command failed", e);
            if (!invalidInput) {
                e.printStackTrace(err);
            }
            return invalidInput ? ExitCodes.INVALID_INPUT : ExitCodes.INTERNAL_ERROR;
        });
        return commandLine;
    }

    public static void main(String[] args) {
        int code = newCommandLine(System.out, System.err).execute(args);
        System.exit(code);
    }
}
