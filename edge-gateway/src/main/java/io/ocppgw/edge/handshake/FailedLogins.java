package io.ocppgw.edge.handshake;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the CPU that wrong passwords can take. A password check runs PBKDF2 (milliseconds of CPU)
 * and only successes are remembered, so without a bound a flood of wrong passwords for known
 * identities would keep a pod's cores busy. Both limits apply before a check, never to a
 * remembered success:
 * <ul>
 *   <li>per identity: after a failed check the identity waits before its next one, 1 s doubling per
 *   further failure up to 60 s; a success clears it. Answered 429 with Retry-After, so a charge
 *   point with a mistyped or just-rotated password retries, while one that keeps guessing costs
 *   one check a minute;</li>
 *   <li>per pod: at most {@code failuresPerSecond} failed checks a second over all identities (plus
 *   the checks already running when the budget runs out); when spent, checks wait (503 with
 *   Retry-After). Only failures spend it, so a reconnect storm of right passwords spends nothing.</li>
 * </ul>
 */
public final class FailedLogins {

    static final long FIRST_WAIT_SECONDS = 1;
    static final long LONGEST_WAIT_SECONDS = 60;
    /** Identities whose failures are remembered; the oldest are forgotten (the per-pod budget still holds). */
    private static final int TRACKED = 50_000;

    private record Failures(int count, long blockedUntilNanos) {}

    private final TokenBucket budget;
    private final Map<String, Failures> failures = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > TRACKED;
        }
    };

    public FailedLogins(int failuresPerSecond, long nowNanos) {
        this.budget = new TokenBucket(failuresPerSecond, failuresPerSecond, nowNanos);
    }

    /** Empty when {@code identity}'s password may be checked now; else the refusal to answer with. */
    public Optional<HandshakeDecision.Reject> beforeCheck(String identity, long nowNanos) {
        synchronized (failures) {
            Failures f = failures.get(identity);
            if (f != null && nowNanos < f.blockedUntilNanos()) {
                long wait = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(f.blockedUntilNanos() - nowNanos + 999_999_999));
                return Optional.of(new HandshakeDecision.Reject(
                        429, "password failed " + f.count() + " times in a row", Optional.of(wait)));
            }
        }
        if (!budget.hasToken(nowNanos)) {
            return Optional.of(new HandshakeDecision.Reject(
                    503, "failed password checks over the pod's budget", Optional.of(budget.secondsUntilNext())));
        }
        return Optional.empty();
    }

    /** After a check {@link #beforeCheck} allowed: a failure spends the budget and makes the identity wait; a success clears it. */
    public void checked(String identity, boolean passed, long nowNanos) {
        if (!passed) {
            budget.tryTake(nowNanos);
        }
        synchronized (failures) {
            if (passed) {
                failures.remove(identity);
                return;
            }
            int count = failures.getOrDefault(identity, new Failures(0, 0)).count() + 1;
            long waitSeconds = Math.min(LONGEST_WAIT_SECONDS, FIRST_WAIT_SECONDS << Math.min(count - 1, 16));
            failures.put(identity, new Failures(count, nowNanos + TimeUnit.SECONDS.toNanos(waitSeconds)));
        }
    }
}
