package io.windrose.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcStatTest {
    // a real /proc/<pid>/task/<tid>/stat line, with a name holding a space and parentheses
    private static final String STAT = "4242 (C2 Compiler(x)) S 4200 4200 4200 0 -1 1077936192 5133 0 0 0 1234 56 0 0 20 0"
            + " 30 0 123456 5000000000 50000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 -1 1 0 0 0 0 0\n";

    @Test
    void nameIsBetweenTheFirstOpeningAndTheLastClosingParenthesis() {
        assertEquals("C2 Compiler(x)", ProcStat.name(STAT));
    }

    @Test
    void cpuIsUserPlusSystemTicksAtOneHundredPerSecond() {
        // utime 1234 + stime 56 ticks = 12.9 s
        assertEquals(12_900_000_000L, ProcStat.cpuNanos(STAT));
    }

    @Test
    void statusValuesInKilobytesAreBytes() {
        String status = "Name:\tjava\nState:\tS (sleeping)\nVmPeak:\t 5000000 kB\nVmHWM:\t  480000 kB\nVmRSS:\t  401234 kB\n"
                + "Threads:\t71\n";
        assertEquals(401_234L * 1024, ProcStat.statusBytes(status, "VmRSS"));
        assertEquals(480_000L * 1024, ProcStat.statusBytes(status, "VmHWM"));
        assertEquals(71, ProcStat.statusBytes(status, "Threads"));
        // VmRSS is not taken for VmRSSx, nor a missing key for another
        assertEquals(-1, ProcStat.statusBytes(status, "VmSwap"));
        assertEquals(-1, ProcStat.statusBytes(status, "VmRS"));
    }

    @Test
    void thisProcessHasCpuAndMemory() {
        long pid = ProcessHandle.current().pid();
        assertTrue(ProcStat.processCpuNanos(pid) > 0);
        long[] rss = ProcStat.rss(pid);
        assertTrue(rss[0] > 0 && rss[1] >= rss[0], rss[0] + " " + rss[1]);
    }

    @Test
    void aProcessThatIsGoneHasNone() {
        assertEquals(0, ProcStat.processCpuNanos(Integer.MAX_VALUE));
        assertEquals(-1, ProcStat.rss(Integer.MAX_VALUE)[0]);
    }
}
