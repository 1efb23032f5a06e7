package io.groot.trainer;

import io.groot.trainer.bench.PairedDifference;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairedDifferenceTest {

    @Test
    void aConstantDifferenceHasNoSpread() {
        double[] b = {0.2, 0.5, 0.9, 1.0};
        double[] a = {0.3, 0.6, 1.0, 1.1};
        PairedDifference d = PairedDifference.of(a, b, 1);
        assertEquals(0.1, d.mean(), 1e-12);
        assertEquals(0.1, d.low(), 1e-12);
        assertEquals(0.1, d.high(), 1e-12);
        assertEquals("+0.1000 [+0.1000, +0.1000]", d.formatted());
    }

    @Test
    void tellsARealGainFromNoise() {
        Random random = new Random(7);
        int n = 900;
        double[] base = new double[n];
        double[] better = new double[n];
        double[] same = new double[n];
        for (int i = 0; i < n; i++) {
            base[i] = random.nextDouble();
            // Pairing matters: each sentence's own difficulty cancels, only the change is resampled.
            better[i] = base[i] + 0.02 + 0.1 * random.nextGaussian();
            same[i] = base[i] + 0.1 * random.nextGaussian();
        }
        PairedDifference gain = PairedDifference.of(better, base, 3);
        assertTrue(gain.low() > 0, "a gain of 0.02 in 900 sentences with noise 0.1 is resolved: " + gain);
        assertTrue(gain.low() < gain.mean() && gain.mean() < gain.high());
        PairedDifference none = PairedDifference.of(same, base, 3);
        assertTrue(none.low() < 0 && none.high() > 0, "no gain: the interval holds 0: " + none);
        assertEquals(none, PairedDifference.of(same, base, 3), "deterministic for a seed");
    }

    @Test
    void refusesUnpairedInput() {
        assertThrows(IllegalArgumentException.class,
                () -> PairedDifference.of(new double[]{1, 2}, new double[]{1}, 1));
        assertThrows(IllegalArgumentException.class, () -> PairedDifference.of(new double[0], new double[0], 1));
    }
}
