package io.groot.ops.cli;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code groot trainer} ends: normally when its trainer returns, with an error when the trainer died of one. */
class RunUntilDoneTest {

    @Test
    void returnsWhenTheTaskReturns() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        ServiceCommands.runUntilDone(() -> ran.set(true), "test-task");
        assertTrue(ran.get());
    }

    @Test
    void throwsWhenTheTaskDiedOfAnException() {
        IllegalStateException stopped = assertThrows(IllegalStateException.class, () ->
                ServiceCommands.runUntilDone(() -> {
                    throw new IllegalStateException("another trainer of 'slots' runs");
                }, "test-task"));
        assertEquals("test-task stopped: another trainer of 'slots' runs", stopped.getMessage());
    }
}
