package io.groot.ops.cli;

import io.groot.trainer.groot.GrootObjective;
import io.groot.trainer.service.TrainerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingOptionsTest {

    @Test
    void everyTrainingSettingIsTakenFromTheCommandLineAndTheRestKeepTheirDefaults() {
        Arguments a = new Arguments(new String[]{"--lambda", "2", "--tau=0.2", "--learning-rate", "0.004",
                "--epochs", "3", "--seed", "9"}, 0);
        TrainerConfig defaults = TrainerConfig.defaults("slots");
        TrainerConfig config = TrainingOptions.training(a, defaults);
        a.requireAllUsed();

        assertEquals(new GrootObjective(0.2, defaults.objective().alpha(), 2.0), config.objective());
        assertEquals(0.004f, config.learningRate());
        assertEquals(3, config.epochs());
        assertEquals(9L, config.seed());
        assertEquals(defaults.withTraining(3, 0.004f, new GrootObjective(0.2, 0.0, 2.0), 9L), config);
        assertEquals(defaults, TrainingOptions.training(new Arguments(new String[0], 0), defaults),
                "no options: the trainer's defaults");
    }

    @Test
    void optionsGivenAreLaidOverSettingsKnownOnlyLaterAndTheRestKeepThose() {
        Arguments a = new Arguments(new String[]{"--lambda", "3"}, 0);
        TrainingOptions.Given given = TrainingOptions.given(a);
        a.requireAllUsed();
        TrainerConfig recorded = TrainerConfig.defaults("slots").withTraining(5, 0.01f,
                new GrootObjective(0.3, 0.0, 1.0), 11L);
        assertEquals(recorded.withTraining(5, 0.01f, new GrootObjective(0.3, 0.0, 3.0), 11L), given.over(recorded));
    }

    @Test
    void listsOfLossSettingsGiveEveryCombinationWhereAGridIsTakenAndAClearErrorElsewhere() {
        GrootObjective d = GrootObjective.defaults();
        List<GrootObjective> grid = TrainingOptions.objectives(
                new Arguments(new String[]{"--tau", "0.1,0.2", "--lambda", "0.5, 2"}, 0), d);
        assertEquals(List.of(new GrootObjective(0.1, d.alpha(), 0.5), new GrootObjective(0.1, d.alpha(), 2),
                new GrootObjective(0.2, d.alpha(), 0.5), new GrootObjective(0.2, d.alpha(), 2)), grid);
        assertEquals(List.of(d), TrainingOptions.objectives(new Arguments(new String[0], 0), d));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingOptions.objective(
                new Arguments(new String[]{"--lambda", "0.5,2"}, 0), d));
        assertTrue(e.getMessage().contains("one value here"), e.getMessage());
    }

    @Test
    void aNegativeLambdaIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingOptions.objective(
                new Arguments(new String[]{"--lambda", "-1"}, 0), GrootObjective.defaults()));
        assertEquals("lambda must be >= 0, got -1.0", e.getMessage());
    }
}
