package dev.streamtrain.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;

/** Picks and checks TCP ports on the loopback address the broker listens on. */
final class LocalPorts {

    private LocalPorts() {
    }

    /**
     * Returns {@code requested} if it is free, or a free ephemeral port (none of {@code avoid}) when
     * {@code requested} is 0.
     *
     * @param option the command-line option that sets this port, named in the error message
     * @throws BrokerStartupException if {@code requested} is already bound
     */
    static int resolve(int requested, String option, Set<Integer> avoid) {
        if (requested != 0) {
            requireFree(requested, option);
            return requested;
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = bindAndRelease(0);
            if (!avoid.contains(port)) {
                return port;
            }
        }
        throw new BrokerStartupException("could not find a free port on " + BrokerProperties.HOST);
    }

    /** @throws BrokerStartupException naming the port and {@code option} if it is already bound */
    static void requireFree(int port, String option) {
        try {
            bindAndRelease(port);
        } catch (BrokerStartupException e) {
            throw inUse(port, option, e.getCause());
        }
    }

    static BrokerStartupException inUse(int port, String option, Throwable cause) {
        return new BrokerStartupException("port " + port + " on " + BrokerProperties.HOST
                + " is already in use (another Kafka or streamtrain running?); choose a free one with "
                + option + " <port>, or " + option + " 0 to pick any free port", cause);
    }

    private static int bindAndRelease(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // As for Kafka's own (JDK) server sockets: a port in TIME_WAIT from a just-closed broker is free.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(BrokerProperties.HOST), port));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new BrokerStartupException("cannot bind " + BrokerProperties.HOST + ":" + port, e);
        }
    }
}
