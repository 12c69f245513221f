package io.ocppgw.edge;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Test certificates made with the JDK's keytool: a server with an RSA and an ECDSA key, a CA, client certificates. */
final class TestPki {

    static final String PASSWORD = "changeit";

    final Path dir;
    final Path serverKeys;
    final Path clientTrust;
    final Path caTrust;

    private TestPki(Path dir) {
        this.dir = dir;
        this.serverKeys = dir.resolve("server.p12");
        this.clientTrust = dir.resolve("client-trust.p12");
        this.caTrust = dir.resolve("ca-trust.p12");
    }

    static TestPki create(Path dir) throws Exception {
        TestPki pki = new TestPki(dir);
        for (String[] key : List.of(
                new String[] {"server-rsa", "RSA", "-keysize", "2048"},
                new String[] {"server-ec", "EC", "-groupname", "secp256r1"})) {
            pki.keytool(
                    "-genkeypair",
                    "-alias",
                    key[0],
                    "-keyalg",
                    key[1],
                    key[2],
                    key[3],
                    "-dname",
                    "CN=localhost",
                    "-ext",
                    "SAN=dns:localhost,ip:127.0.0.1",
                    "-validity",
                    "2",
                    "-keystore",
                    pki.serverKeys.toString());
            pki.keytool(
                    "-exportcert",
                    "-rfc",
                    "-alias",
                    key[0],
                    "-keystore",
                    pki.serverKeys.toString(),
                    "-file",
                    dir.resolve(key[0] + ".pem").toString());
            pki.keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    key[0],
                    "-file",
                    dir.resolve(key[0] + ".pem").toString(),
                    "-keystore",
                    pki.clientTrust.toString());
        }
        Path ca = dir.resolve("ca.p12");
        pki.keytool(
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=Test Charge Point CA",
                "-ext",
                "bc:c",
                "-validity",
                "2",
                "-keystore",
                ca.toString());
        pki.keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                ca.toString(),
                "-file",
                dir.resolve("ca.pem").toString());
        pki.keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                dir.resolve("ca.pem").toString(),
                "-keystore",
                pki.caTrust.toString());
        return pki;
    }

    /** A charge point key store with a certificate for {@code subject}, signed by the test CA. */
    Path clientKeys(String name, String subject) throws Exception {
        Path store = dir.resolve(name + ".p12");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        Path ca = dir.resolve("ca.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "client",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                subject,
                "-validity",
                "2",
                "-keystore",
                store.toString());
        keytool("-certreq", "-alias", "client", "-keystore", store.toString(), "-file", csr.toString());
        keytool(
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                ca.toString(),
                "-infile",
                csr.toString(),
                "-outfile",
                cert.toString(),
                "-validity",
                "2");
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                dir.resolve("ca.pem").toString(),
                "-keystore",
                store.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "client",
                "-file",
                cert.toString(),
                "-keystore",
                store.toString());
        return store;
    }

    /** What a charge point uses: trusts the server's certificates, and presents its own if given. */
    SSLContext clientContext(Optional<Path> clientKeys) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(Tls.load(clientTrust, PASSWORD));
        KeyManagerFactory keys = null;
        if (clientKeys.isPresent()) {
            keys = KeyManagerFactory.getInstance("PKIX");
            keys.init(Tls.load(clientKeys.get(), PASSWORD), PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keypass", PASSWORD));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
