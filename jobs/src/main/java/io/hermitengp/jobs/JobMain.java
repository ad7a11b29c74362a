package io.hermitengp.jobs;

import io.hermitengp.backend.opencl.OpenClUnavailableException;
import io.hermitengp.config.ConfigException;
import io.hermitengp.train.CheckpointException;
import io.hermitengp.io.MeshFormatException;
import io.hermitengp.spark.OutputExistsException;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * Entry point of every command: {@code bin/hermite-ngp <command>} and
 * {@code spark-submit --class io.hermitengp.jobs.JobMain hermite-ngp-jobs-*-spark.jar <job> ...}.
 * {@code train}, {@code speed} and {@code bench} fit fields in this JVM, without Spark; the jobs
 * run on Spark ({@code local[*]} under the launcher, the cluster under spark-submit).
 *
 * <p>Exit statuses: 0 done; 1 {@code train}'s fit diverged; 3 a batch with instances (or bench
 * cases) not ok, above {@code --max-failed-fraction}; 2 a usage or configuration error or an input
 * or output that cannot be used, told in one line {@code hermite-ngp: <message>}; 4 anything
 * unexpected, told in one line, with the stack trace under {@code --verbose}; 130 {@code train}
 * or {@code bench} interrupted (Ctrl-C, SIGTERM: 143), after saving the step the run reached.
 */
public final class JobMain {
    static final int USAGE = 2;
    static final int UNEXPECTED = 4;

    private record Command(CommandSpec spec, ToIntFunction<String[]> run) {
    }

    /** Every command, in the order the usage lists them. */
    private static final List<Command> COMMANDS = List.of(
            new Command(TrainCommand.SPEC, TrainCommand::run),
            new Command(SpeedCommand.SPEC, SpeedCommand::run),
            new Command(BenchCommand.SPEC, BenchCommand::run),
            new Command(DevicesCommand.SPEC, DevicesCommand::run),
            new Command(FitJob.SPEC, FitJob::run),
            new Command(ExtractJob.SPEC, ExtractJob::run),
            new Command(SummarizeJob.SPEC, SummarizeJob::run),
            new Command(DemoJob.SPEC, DemoJob::run),
            new Command(ThroughputJob.SPEC, ThroughputJob::run),
            new Command(SdfJob.SPEC, SdfJob::run),
            new Command(DemoSdfJob.SPEC, DemoSdfJob::run));

    private JobMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit status; prints what goes wrong on stderr, never throws. */
    static int run(String[] args) {
        PrintStream err = System.err;
        boolean verbose = Arrays.asList(args).contains(CommandSpec.VERBOSE);
        int first = 0;
        while (first < args.length && args[first].equals(CommandSpec.VERBOSE)) {
            first++;
        }
        if (first == args.length) {
            err.print(usage());
            return USAGE;
        }
        if (args[first].equals(CommandSpec.HELP) || args[first].equals(CommandSpec.HELP_SHORT)) {
            System.out.print(usage());
            return 0;
        }
        String[] rest = Arrays.copyOfRange(args, first + 1, args.length);
        Interruption.ErrorReport report = Interruption.ErrorReport.open();
        try {
            Command command = command(args[first]);
            if (CommandSpec.asksForHelp(rest)) {
                System.out.print(command.spec().help());
                return 0;
            }
            return command.run().applyAsInt(rest);
        } catch (UsageException | ConfigException | OpenClUnavailableException | MeshFormatException
                 | OutputExistsException | CheckpointException e) {
            err.println("hermite-ngp: " + String.join(" ", e.getMessage().strip().split("\\s*\\R\\s*")));
            return USAGE;
        } catch (Throwable t) {
            err.println("hermite-ngp: " + describe(t) + (verbose ? "" : "; rerun with --verbose for the stack trace"));
            if (verbose) {
                t.printStackTrace(err);
            }
            return UNEXPECTED;
        } finally {
            // the error is out: an interrupted JVM may halt now
            err.flush();
            report.close();
        }
    }

    private static Command command(String name) {
        for (Command c : COMMANDS) {
            if (c.spec().name().equals(name)) {
                return c;
            }
        }
        throw new UsageException("unknown command '" + name + "'; commands: "
                + COMMANDS.stream().map(c -> c.spec().name()).collect(Collectors.joining(", "))
                + " (hermite-ngp --help shows what each does)");
    }

    /** One line: the exception's first line and class, and its root cause's when it has one. */
    static String describe(Throwable t) {
        String line = firstLine(t) + " (" + t.getClass().getSimpleName() + ")";
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != t) {
            line += ", caused by " + root.getClass().getSimpleName() + ": " + firstLine(root);
        }
        return line;
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? "no message" : message.strip().lines().findFirst().orElse("");
    }

    /** Every command with its synopsis and what it does, the global options and the exit statuses. */
    static String usage() {
        StringBuilder s = new StringBuilder();
        s.append("usage: hermite-ngp [--verbose] <command> [arguments]\n");
        s.append("       hermite-ngp <command> --help   that command's options, their defaults and exit statuses\n");
        s.append("one field at a time, in this JVM:\n");
        COMMANDS.stream().filter(c -> !c.spec().spark()).forEach(c -> command(s, c.spec()));
        s.append("Spark jobs, in local[*] under bin/hermite-ngp (on a cluster: spark-submit, see README):\n");
        COMMANDS.stream().filter(c -> c.spec().spark()).forEach(c -> command(s, c.spec()));
        s.append("bin/hermite-ngp takes, for the Spark jobs: ").append(CommandSpec.LAUNCHER_SPARK_OPTIONS).append('\n');
        s.append("every command takes:\n");
        for (OptionSpec o : CommandSpec.GLOBAL) {
            s.append("  ").append(String.format("%-11s", o.usage())).append(o.help()).append('\n');
        }
        s.append("exit status:\n");
        List<String> statuses = new ArrayList<>(CommandSpec.COMMON_EXITS);
        for (Command c : COMMANDS) {
            if (!c.spec().exits().isEmpty()) {
                // "3 when ..." -> "3 fit: when ...", so that the statuses sort by their number
                String[] status = c.spec().exits().split(" ", 2);
                statuses.add(status[0] + " " + c.spec().name() + ": " + status[1]);
            }
        }
        statuses.stream().sorted().forEach(e -> s.append("  ").append(e).append('\n'));
        return s.toString();
    }

    private static void command(StringBuilder s, CommandSpec spec) {
        s.append(spec.synopsis("  ")).append('\n');
        s.append("      ").append(spec.summary()).append('\n');
    }
}
