package io.ocppgw.support;

import java.util.function.Supplier;

/** A named check for {@code /health/ready}: healthy or not, with a short reason for operators. */
public record HealthCheck(String name, Supplier<Result> probe) {

    public record Result(boolean healthy, String detail) {
        public static Result up(String detail) {
            return new Result(true, detail);
        }

        public static Result down(String detail) {
            return new Result(false, detail);
        }
    }
}
