package io.ocppgw.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void shouldAttributeCpuToTheThreadThatUsedIt() throws Exception {
        long pid = ProcessHandle.current().pid();
        CountDownLatch burnt = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread burner = new Thread(
                () -> {
                    // burns 400 ms of its own CPU time, however long a busy machine makes that take
                    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
                    long until = cpu.getCurrentThreadCpuTime() + TimeUnit.MILLISECONDS.toNanos(400);
                    long x = 0;
                    while (cpu.getCurrentThreadCpuTime() < until) {
                        x += Long.numberOfTrailingZeros(x + System.nanoTime());
                    }
                    if (x == 42) {
                        System.out.print(""); // keeps the loop from being removed
                    }
                    burnt.countDown();
                    try {
                        release.await(); // a thread's CPU is readable only while it lives
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "cpu-burner");
        burner.start();
        try {
            assertThat(burnt.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(ProcessCpu.threadSeconds(pid))
                    .hasEntrySatisfying("cpu-burner", s -> assertThat(s).isGreaterThan(0.2));
            assertThat(ProcessCpu.seconds(pid)).isGreaterThan(0.2);
        } finally {
            release.countDown();
            burner.join();
        }
    }

    @Test
    void shouldGiveNothingForAProcessThatDoesNotExist() {
        assertThat(ProcessCpu.threadSeconds(Long.MAX_VALUE)).isEmpty();
        assertThat(ProcessCpu.seconds(Long.MAX_VALUE)).isNaN();
    }
}
