package io.groot.trainer.service;

import io.groot.trainer.groot.GrootObjective;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrainerConfigTest {

    @Test
    void theSettingsAVersionRecordKeepsReadBackIntoTheSameTrainer() {
        TrainerConfig defaults = TrainerConfig.defaults("slots");
        TrainerConfig trained = defaults.withTraining(3, 0.004f, new GrootObjective(0.2, 0.5, 2.0), 9L);
        Map<String, String> kept = trained.trainingSettings();
        assertEquals(Map.of("epochs", "3", "learningRate", "0.004", "batchSize", "32", "tau", "0.2", "alpha", "0.5",
                "lambda", "2.0", "seed", "9"), kept);
        assertEquals(trained, defaults.withTrainingSettings(kept));
    }

    @Test
    void settingsARecordDidNotKeepStayAsTheyAreAndUnknownOnesAreIgnored() {
        TrainerConfig defaults = TrainerConfig.defaults("slots");
        TrainerConfig read = defaults.withTrainingSettings(Map.of("lambda", "2", "objective", "maximum-likelihood"));
        assertEquals(new GrootObjective(defaults.objective().tau(), defaults.objective().alpha(), 2.0),
                read.objective());
        assertEquals(defaults.withTraining(defaults.epochs(), defaults.learningRate(), read.objective(),
                defaults.seed()), read);
        assertEquals(defaults, defaults.withTrainingSettings(Map.of()));
    }
}
