package io.ocppgw.simulator;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bare-bones WebSocket client on a plain socket, for what a well-behaved client cannot do: send any
 * request bytes or header, offer extensions, write any frame (binary, fragmented, compressed, invalid
 * UTF-8), read raw frames, and never answer a ping. For tests and hostile-input checks.
 */
public final class RawWebSocket implements AutoCloseable {

    /** A frame as the server sent it (server frames are never masked). */
    public record Frame(int opcode, byte[] payload) {
        public static final int TEXT = 1;
        public static final int CLOSE = 8;

        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** The HTTP status of the upgrade answer (101 when upgraded), and its headers with lower-case names. */
    public final int status;

    public final Map<String, String> headers;
    private final Socket socket;
    private final DataInputStream in;

    private RawWebSocket(Socket socket, DataInputStream in, int status, Map<String, String> headers) {
        this.socket = socket;
        this.in = in;
        this.status = status;
        this.headers = headers;
    }

    /** A standard upgrade request for {@code path} with extra headers (they may repeat or override the standard ones). */
    public static RawWebSocket upgrade(int port, String path, Map<String, String> extraHeaders) throws IOException {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Host", "127.0.0.1:" + port);
        headers.put("Upgrade", "websocket");
        headers.put("Connection", "Upgrade");
        headers.put("Sec-WebSocket-Version", "13");
        headers.put(
                "Sec-WebSocket-Key",
                Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII)));
        headers.putAll(extraHeaders);
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
        headers.forEach((k, v) -> {
            if (v != null) {
                request.append(k).append(": ").append(v).append("\r\n");
            }
        });
        request.append("\r\n");
        return raw(port, request.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Sends {@code request} as it is and reads the answer's status line and headers; status -1 when the
     * server closed the connection without answering.
     */
    public static RawWebSocket raw(int port, byte[] request) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        String statusLine = line(in);
        if (statusLine.isEmpty()) {
            return new RawWebSocket(socket, in, -1, Map.of());
        }
        Map<String, String> headers = new HashMap<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            if (colon > 0) {
                headers.put(
                        l.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        l.substring(colon + 1).trim());
            }
        }
        String[] parts = statusLine.split(" ");
        return new RawWebSocket(socket, in, parts.length > 1 ? Integer.parseInt(parts[1]) : -1, headers);
    }

    /** Writes one masked frame, exactly as given (fin, the compression bit, any opcode). */
    public void send(boolean fin, boolean rsv1, int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (opcode & 0x0f));
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        OutputStream out = socket.getOutputStream();
        frame.writeTo(out);
        out.flush();
    }

    public void sendText(String text) throws IOException {
        send(true, false, Frame.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads the next frame the server sends. */
    public Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** The next frame within {@code timeout}, or empty if none came. */
    public Optional<Frame> readWithin(Duration timeout) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            return Optional.of(read());
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } finally {
            socket.setSoTimeout(before);
        }
    }

    /**
     * Reads until the server closes: its close code, -1 when the connection ended without a close
     * frame, or empty when it is still open after {@code timeout}. Text frames on the way are skipped.
     */
    public Optional<Integer> awaitClose(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Optional<Frame> f = readWithin(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
                if (f.isPresent() && f.get().opcode() == Frame.CLOSE) {
                    return Optional.of(f.get().closeCode());
                }
            } catch (EOFException | java.net.SocketException ended) {
                return Optional.of(-1);
            }
        }
        return Optional.empty();
    }

    private static String line(DataInputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int c;
        try {
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    buffer.write(c);
                }
            }
        } catch (java.net.SocketException reset) {
            // the server dropped the connection: what was read is the line
        }
        return buffer.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
