package io.groot.trainer.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OutsideBiasCalibrationTest {
    @Test
    void choosesTheBiasHeldOutDataScoresBest() {
        OutsideBiasCalibration.Choice choice = OutsideBiasCalibration.choose(bias -> -Math.abs(bias - 0.5));
        assertEquals(0.5f, choice.bias());
        assertEquals(0.0, choice.score(), 1e-12);
        assertEquals(OutsideBiasCalibration.BIASES.length, choice.tried().size());
    }

    @Test
    void noBiasIsKeptUnlessAnotherScoresStrictlyHigher() {
        assertEquals(0f, OutsideBiasCalibration.choose(bias -> 1.0).bias());
        assertEquals(0f, OutsideBiasCalibration.choose(bias -> bias == 1.5f ? 2.0 : bias == 0f ? 2.0 : 1.0).bias());
    }
}
