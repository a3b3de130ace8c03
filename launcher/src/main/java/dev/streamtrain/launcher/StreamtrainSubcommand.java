package dev.streamtrain.launcher;

import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** Base of every subcommand: gives it the root command's output streams. */
abstract class StreamtrainSubcommand implements Callable<Integer> {

    @ParentCommand
    StreamtrainCommand root;

    PrintStream out() {
        return root.out;
    }

    PrintStream err() {
        return root.err;
    }
}
