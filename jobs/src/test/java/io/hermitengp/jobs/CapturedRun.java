package io.hermitengp.jobs;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A command line run through {@link JobMain#run} in this JVM: its exit status and what it printed
 * on stdout (with scala.Console's out, which Dataset.show writes to) and on stderr. Both streams
 * still reach the console as they are written, so a failing test's log shows them; a logger that
 * picked up a captured stream while the run lasted keeps writing to the console after it.
 */
record CapturedRun(int code, String out, String err) {

    static CapturedRun of(String... args) {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        PrintStream out = new PrintStream(new Tee(outBytes, originalOut), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new Tee(errBytes, originalErr), true, StandardCharsets.UTF_8);
        int[] code = new int[1];
        System.setOut(out);
        System.setErr(err);
        try {
            scala.Console.withOut(out, () -> {
                code[0] = JobMain.run(args);
                return null;
            });
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new CapturedRun(code[0], outBytes.toString(StandardCharsets.UTF_8),
                errBytes.toString(StandardCharsets.UTF_8));
    }

    /** The lines of stderr that JobMain wrote for an error: those starting with "hermite-ngp: ". */
    List<String> errorLines() {
        return err.lines().filter(l -> l.startsWith("hermite-ngp: ")).toList();
    }

    /** A message for a failed assertion: the status and both streams. */
    String describe() {
        return "exit status " + code + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
    }

    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
            second.flush();
        }
    }
}
