package io.ocppgw.edge.handshake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A credentials file, one {@code identity pbkdf2-sha256$…} line per charge point ('#' comments and
 * blank lines allowed). Re-read when its modification time changes, checked at most every
 * {@code recheck}; a file that no longer parses keeps the last good contents and is logged.
 */
public final class CredentialsFile implements CredentialStore {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialsFile.class);

    private final Path path;
    private final Duration recheck;
    private final Clock clock;
    private volatile Map<String, PasswordHash> entries;
    private volatile FileTime loadedVersion;
    private volatile Instant nextCheck;

    /** Reads the file now; a missing or broken file at start is a configuration error. */
    public CredentialsFile(Path path, Duration recheck, Clock clock) {
        this.path = path;
        this.recheck = recheck;
        this.clock = clock;
        this.entries = parse(read(path));
        this.loadedVersion = modified(path);
        this.nextCheck = clock.instant().plus(recheck);
    }

    @Override
    public Optional<PasswordHash> hashFor(String identity) {
        reloadIfChanged();
        return Optional.ofNullable(entries.get(identity));
    }

    public int size() {
        return entries.size();
    }

    private void reloadIfChanged() {
        Instant now = clock.instant();
        if (now.isBefore(nextCheck)) {
            return;
        }
        synchronized (this) {
            if (now.isBefore(nextCheck)) {
                return;
            }
            nextCheck = now.plus(recheck);
            try {
                FileTime current = modified(path);
                if (!current.equals(loadedVersion)) {
                    entries = parse(read(path));
                    loadedVersion = current;
                    LOG.info("reloaded {} credentials from {}", entries.size(), path);
                }
            } catch (RuntimeException e) {
                LOG.error(
                        "cannot reload {}; keeping the {} credentials loaded before: {}",
                        path,
                        entries.size(),
                        e.getMessage());
            }
        }
    }

    static Map<String, PasswordHash> parse(String content) {
        Map<String, PasswordHash> m = new HashMap<>();
        String[] lines = content.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            Optional<PasswordHash> hash = parts.length == 2 ? PasswordHash.parse(parts[1]) : Optional.empty();
            if (hash.isEmpty()) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected '<identity> " + PasswordHash.SCHEME
                        + "$<iterations>$<salt>$<hash>'");
            }
            m.put(parts[0], hash.get());
        }
        return Map.copyOf(m);
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read credentials file " + path, e);
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read credentials file " + path, e);
        }
    }
}
