package io.ocppgw.edge.handshake;

/** A token bucket (upgrade admission, password checks): {@code ratePerSecond} refill, up to {@code burst}. Thread-safe. */
public final class TokenBucket {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;

    public TokenBucket(double ratePerSecond, int burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    public synchronized boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether a token is there now, without taking it. */
    public synchronized boolean hasToken(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1;
    }

    private void refill(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * ratePerNano);
        last = nowNanos;
    }

    /** Seconds until a token is back, for a Retry-After header (at least 1). */
    public synchronized long secondsUntilNext() {
        double missing = 1 - tokens;
        return Math.max(1, (long) Math.ceil(missing / (ratePerNano * 1e9)));
    }
}
