package io.ocppgw.bench;

import io.ocppgw.embedded.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;

/**
 * Debian's {@code redis-server} as a child process on a random loopback port, without persistence:
 * the route store of the classic design. Found on the PATH or in /usr/bin; missing, it fails with
 * how to install it.
 */
public final class RedisServer implements AutoCloseable {

    private final Process process;
    private final int port;

    public long pid() {
        return process.pid();
    }

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RedisServer start(Path dir) throws IOException, InterruptedException {
        Path binary = find().orElseThrow(() -> new IllegalStateException(
                "redis-server not found on the PATH or in /usr/bin: the broadcast benchmark's classic design needs Debian's redis-server"
                        + " (apt-get install -y redis-server)"));
        Files.createDirectories(dir);
        int port = FreePorts.loopback();
        Process p = new ProcessBuilder(
                        binary.toString(),
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        RedisServer server = new RedisServer(p, port);
        Waits.until(
                server::answersPing,
                Duration.ofSeconds(20),
                "redis-server to answer PING (log: " + dir.resolve("redis.log") + ")");
        return server;
    }

    private static java.util.Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(
                        Stream.of(path.split(java.io.File.pathSeparator))
                                .filter(s -> !s.isEmpty())
                                .map(Path::of),
                        List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin")).stream())
                .map(d -> d.resolve("redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private boolean answersPing() {
        if (!process.isAlive()) {
            throw new IllegalStateException("redis-server exited with " + process.exitValue());
        }
        try (Jedis jedis = client()) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public Jedis client() {
        return new Jedis("127.0.0.1", port);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
