package io.ocppgw.edge;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare-bones WebSocket client on a plain socket, for what the JDK client cannot do: send any
 * header, offer extensions, read raw frames, and never answer a ping.
 */
final class RawWebSocket implements AutoCloseable {

    record Frame(int opcode, byte[] payload) {
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }
    }

    final int status;
    final Map<String, String> headers;
    private final Socket socket;
    private final DataInputStream in;

    private RawWebSocket(Socket socket, int status, Map<String, String> headers) throws IOException {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        this.in = new DataInputStream(socket.getInputStream());
    }

    static RawWebSocket upgrade(int port, String path, Map<String, String> extraHeaders) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII)) + "\r\n");
        extraHeaders.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        String statusLine = line(in);
        Map<String, String> headers = new HashMap<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        return new RawWebSocket(socket, Integer.parseInt(statusLine.split(" ")[1]), headers);
    }

    /** Reads the next frame the server sends (server frames are never masked). */
    Frame read() throws IOException {
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
    java.util.Optional<Frame> readWithin(java.time.Duration timeout) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            return java.util.Optional.of(read());
        } catch (java.net.SocketTimeoutException e) {
            return java.util.Optional.empty();
        } finally {
            socket.setSoTimeout(before);
        }
    }

    private static String line(DataInputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                buffer.write(c);
            }
        }
        return buffer.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
