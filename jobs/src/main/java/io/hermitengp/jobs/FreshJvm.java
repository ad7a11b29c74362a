package io.hermitengp.jobs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A command of this program run in a fresh JVM: the same java executable, JVM options and class
 * path as this one, {@link JobMain} as its entry point. Options that would collide between the two
 * processes are left out: a flight recording ({@code -XX:StartFlightRecording}, whose file the
 * child would overwrite) and an agent's listening port ({@code -agentlib:jdwp}).
 */
final class FreshJvm {
    private FreshJvm() {
    }

    /** How a command in a fresh JVM ended: its exit status and what it printed. */
    record Outcome(int status, String out, String err) {
        /** The last line it printed on stdout (where a command prints its JSON result), or "". */
        String lastOutputLine() {
            return lastLine(out);
        }

        /** The last line it printed on stderr (where {@link JobMain} tells what went wrong), or "". */
        String lastErrorLine() {
            return lastLine(err);
        }

        private static String lastLine(String text) {
            String stripped = text.strip();
            return stripped.substring(stripped.lastIndexOf('\n') + 1);
        }
    }

    /** Runs {@code JobMain args} in a fresh JVM and waits for it. */
    static Outcome run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("the path of this JVM's java executable is unknown")));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-XX:StartFlightRecording") && !option.startsWith("-agentlib:jdwp")) {
                command.add(option);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(JobMain.class.getName());
        command.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a fresh JVM for '" + String.join(" ", args) + "'", e);
        }
        try {
            process.getOutputStream().close();
            // both streams drained at once, so that neither fills its pipe and stalls the child
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> text(process.getErrorStream()));
            String out = text(process.getInputStream());
            return new Outcome(process.waitFor(), out, err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot talk to the fresh JVM of '" + String.join(" ", args) + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a fresh JVM", e);
        } finally {
            process.destroy();   // a no-op once it has exited; stops it when this one gives up on it
        }
    }

    private static String text(InputStream in) {
        try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
