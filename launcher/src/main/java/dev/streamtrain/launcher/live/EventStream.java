package dev.streamtrain.launcher.live;

import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Server-sent events ({@code text/event-stream}) to any number of clients: each client first gets
 * the history, then every update. A client's handler holds one thread of the server's executor
 * while it is connected, and gives it back when the client goes (its next write fails: a comment
 * line is written at least every {@link #KEEPALIVE_MILLIS}), when it falls {@link #BACKLOG} events
 * behind, or when the stream closes. At most {@code maxClients} at once; more get 503.
 */
public final class EventStream implements AutoCloseable {

    static final int BACKLOG = 256;
    static final long KEEPALIVE_MILLIS = 2_000;
    private static final String CLOSED = "";
    private static final Logger log = LoggerFactory.getLogger(EventStream.class);

    private final int maxClients;
    private final Set<BlockingQueue<String>> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public EventStream(int maxClients) {
        this.maxClients = maxClients;
    }

    /** The SSE frame of one event: {@code event: NAME} and {@code data: JSON} lines, then a blank line. */
    static String frame(String event, String json) {
        if (json.contains("\n") || json.contains("\r")) {
            throw new IllegalArgumentException("an SSE data line cannot hold a line break: " + json);
        }
        return "event: " + event + "\ndata: " + json + "\n\n";
    }

    /** Sends {@code frame} to every connected client; one too far behind is let go. */
    public void publish(String frame) {
        for (BlockingQueue<String> client : clients) {
            if (!client.offer(frame)) {
                clients.remove(client);
                client.clear();
                client.offer(CLOSED);
            }
        }
    }

    public int clients() {
        return clients.size();
    }

    /** Serves one client until it goes or the stream closes; {@code history} is its first frame. */
    public void serve(HttpExchange exchange, Supplier<String> history) throws IOException {
        if (closed || clients.size() >= maxClients) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
        }
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(BACKLOG);
        clients.add(queue);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(200, 0);
            write(out, "retry: 2000\n\n" + history.get());
            while (!closed) {
                String frame = queue.poll(KEEPALIVE_MILLIS, TimeUnit.MILLISECONDS);
                if (frame == CLOSED) {
                    break;
                }
                write(out, frame != null ? frame : ": keepalive\n\n");
            }
        } catch (IOException e) {
            log.debug("live page client gone: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(queue);
            exchange.close();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Ends every client's stream (their handlers return within a moment) and refuses new ones. */
    @Override
    public void close() {
        closed = true;
        for (BlockingQueue<String> client : clients) {
            client.clear();
            client.offer(CLOSED);
        }
    }
}
