package io.groot.trainer.model.context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * onnxruntime 1.29.0's native library dies of SIGSEGV, without a JVM crash report, when it creates its environment
 * in a process whose command line ({@code /proc/self/cmdline}) is longer than {@value #LIMIT} bytes: a JVM given its
 * classpath spelled out (an IDE's, a build tool's) is. This turns that crash into an error that says what to do.
 */
final class CommandLineGuard {
    /** Measured: 3,980 bytes work, 3,981 crash. */
    static final int LIMIT = 3980;

    private CommandLineGuard() {
    }

    /** Fails if this process' command line is too long for onnxruntime; does nothing where /proc is not there. */
    static void check() {
        byte[] cmdline;
        try {
            cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        check(cmdline.length);
    }

    static void check(int bytes) {
        if (bytes > LIMIT) {
            throw new IllegalStateException("this JVM's command line is " + bytes + " bytes; onnxruntime's native "
                    + "library crashes (SIGSEGV) above " + LIMIT + ", so the pretrained encoder cannot start here. "
                    + "Shorten it: a classpath wildcard (-cp 'lib/*', as ops/bin/groot does) or an argument file "
                    + "(java @options-file), or use --encoder none");
        }
    }
}
