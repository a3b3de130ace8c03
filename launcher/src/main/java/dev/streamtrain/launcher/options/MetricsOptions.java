package dev.streamtrain.launcher.options;

import picocli.CommandLine.Option;

/** Where a command serves its Prometheus metrics. */
public final class MetricsOptions {

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus metrics at http://HOST:PORT/metrics (default per command: local 9400, "
                    + "produce 9401, train 9402, evaluate 9403, serve 9404; 0 = any free port; -1 = none).")
    Integer port;

    @Option(names = "--metrics-bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the metrics endpoint listens on (default: ${DEFAULT-VALUE}, this machine only; "
                    + "0.0.0.0 for every interface, as docker-compose.yml sets it for Prometheus).")
    String bind;

    /** The address to listen on. */
    public String bind() {
        return bind;
    }

    /** The port given, else this command's default. */
    public int port(int commandDefault) {
        return port != null ? port : commandDefault;
    }
}
