package io.ocppgw.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A round-robin TCP load balancer on loopback, standing in for the one in front of a real edge fleet:
 * each new connection goes to the next backend that accepts it, so when a pod dies its charge points
 * reconnect to the survivors. Bytes are copied as they are; a connection ends when either side does.
 * One thread per direction per connection: for tests and benchmarks of tens to hundreds of sockets.
 */
public final class TcpBalancer implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Integer> backendPorts;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean open = true;

    public TcpBalancer(List<Integer> backendPorts) {
        this.backendPorts = List.copyOf(backendPorts);
        try {
            this.listener = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen", e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "tcp-balancer-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (open) {
            try {
                Socket client = listener.accept();
                Thread t = new Thread(() -> connect(client), "tcp-balancer-connect");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (open) {
                    continue; // one failed accept does not stop the balancer
                }
            }
        }
    }

    private void connect(Socket client) {
        int first = Math.floorMod(next.getAndIncrement(), backendPorts.size());
        for (int i = 0; i < backendPorts.size(); i++) {
            int port = backendPorts.get((first + i) % backendPorts.size());
            Socket backend = new Socket();
            try {
                backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                pipe(client, backend);
                pipe(backend, client);
                return;
            } catch (IOException refused) {
                closeQuietly(backend); // that backend is down: try the next
            }
        }
        closeQuietly(client);
    }

    private static void pipe(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException ended) {
                        // either side went away
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "tcp-balancer-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
