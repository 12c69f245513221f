package io.ocppgw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Server key stores for the TLS cases, made with the JDK's keytool: one with an RSA key, one with an ECDSA key. */
public final class BenchPki {

    public static final String PASSWORD = "bench-secret";

    private BenchPki() {}

    /** @param algorithm "RSA" (2048 bits) or "EC" (P-256) */
    public static Path serverKeyStore(Path dir, String algorithm) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path store = dir.resolve("server-" + algorithm.toLowerCase() + ".p12");
        if (Files.exists(store)) {
            return store;
        }
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                algorithm,
                "-keysize",
                algorithm.equals("RSA") ? "2048" : "256",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "30",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
        return store;
    }
}
