package io.hermitengp.spark;

import io.hermitengp.fit.InstanceCheckpoints;
import io.hermitengp.train.Trainer;
import org.apache.spark.TaskContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Instance checkpoints in a run's output directory, {@code <out>/_checkpoints/<id>.ckpt} (the id
 * made a file name by {@link SurfaceExtraction#fileName}), on whatever Hadoop file system the
 * output is (local, HDFS, S3), so that a fit retried on another executor, or in a later run after
 * the driver died, continues from the last save.
 *
 * <p>The trainer saves to a local file; each save is then copied to {@code <id>.ckpt.part} and
 * moved over {@code <id>.ckpt}, so the stored checkpoint is always a whole one: a task killed
 * while copying leaves the previous checkpoint, one killed between the removal of the old file
 * and the move leaves the complete {@code .part}, which is resumed from in its place (and a
 * damaged file is refused by its checksum, so the fit starts over).
 */
final class HadoopInstanceCheckpoints implements InstanceCheckpoints, Serializable {
    /** The checkpoint directory under a run's output. */
    static final String DIRECTORY = "_checkpoints";
    private static final String SUFFIX = ".ckpt";
    private static final String PART = ".part";

    private final String directory;
    private final long every;
    /** Per instance of this JVM: the local folder its trainer saves to. */
    private transient Map<String, java.nio.file.Path> localFolders;

    /**
     * @param directory the qualified URI of the checkpoint directory
     * @param every     counted steps between saves
     */
    HadoopInstanceCheckpoints(String directory, long every) {
        if (every < 1) {
            throw new IllegalArgumentException("checkpoints every " + every + " steps");
        }
        this.directory = directory;
        this.every = every;
    }

    long every() {
        return every;
    }

    /** The file name of instance {@code id}'s stored checkpoint. */
    private static String storedName(String id) {
        return SurfaceExtraction.fileName(id) + SUFFIX;
    }

    /** The file name of instance {@code id}'s checkpoint while it is being written. */
    private static String partName(String id) {
        return storedName(id) + PART;
    }

    private Path stored(String id) {
        return new Path(directory, storedName(id));
    }

    private Path part(String id) {
        return new Path(directory, partName(id));
    }

    private FileSystem fs() throws IOException {
        return new Path(directory).getFileSystem(HadoopMeshStore.configuration());
    }

    @Override
    public synchronized Trainer.Checkpoints open(String id) {
        try {
            if (localFolders == null) {
                localFolders = new HashMap<>();
            }
            java.nio.file.Path folder = localFolders.get(id);
            if (folder == null) {
                folder = Files.createTempDirectory("hermite-ngp-checkpoint-");
                localFolders.put(id, folder);
            }
            java.nio.file.Path resume = null;
            FileSystem fs = fs();
            Path source = fs.exists(stored(id)) ? stored(id) : fs.exists(part(id)) ? part(id) : null;
            if (source != null) {
                resume = folder.resolve("resume" + SUFFIX);
                Files.deleteIfExists(resume);
                fs.copyToLocalFile(false, source, new Path(resume.toUri()), true);
            }
            return new Trainer.Checkpoints(folder.resolve("state" + SUFFIX), every, resume, saved -> publish(id, saved));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the checkpoint of instance " + id + " in " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Copies a save to the store: to {@code .part}, then over the stored checkpoint. A killed
     * task's save is not copied: its job was cancelled (the last copy is as good for a resume) or
     * has ended, and a copy now would land in a run that is over. The task is asked before the
     * copy and again before the move (a copy made meanwhile goes, unless it is the only whole state
     * there); a kill that reaches the executor later still lets one copy through, so this narrows
     * the window rather than closing it ({@link #tidy} removes what ended fits left).
     */
    private void publish(String id, java.nio.file.Path saved) {
        if (taskKilled()) {
            return;
        }
        try {
            FileSystem fs = fs();
            fs.copyFromLocalFile(false, true, new Path(saved.toUri()), part(id));
            if (taskKilled()) {
                if (fs.exists(stored(id))) {
                    fs.delete(part(id), false);
                }
                return;
            }
            fs.delete(stored(id), false);
            if (!fs.rename(part(id), stored(id))) {
                throw new IOException("rename returned false");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the checkpoint of instance " + id + " in " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean taskKilled() {
        TaskContext task = TaskContext.get();
        return task != null && task.isInterrupted();
    }

    /**
     * Removes the checkpoint at once, on the executor that fitted the instance (however many
     * there are, the removal is spread over the tasks). A task lost after this, before its rows
     * are written (while its other batches train, or as it writes them), leaves the instance to
     * be fitted again from step 0.
     */
    @Override
    public void finished(String id) {
        discard(id);
    }

    @Override
    public void discard(String id) {
        try {
            FileSystem fs = fs();
            fs.delete(stored(id), false);
            fs.delete(part(id), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the checkpoint of instance " + id + " in " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * After the run's commit: removes what ended fits left (a second attempt at a batch, which
     * Spark ran after a lost executor and killed only when the job ended, can save after the
     * first attempt's fits ended and removed theirs), then the directory when no checkpoint is
     * left, and says how many are: those of failed fits, which a later {@code --mode resume}
     * continues, and of instances this run did not fit.
     *
     * @param endedAmong given the names of the checkpoint files in the directory, the ids of the
     *                   instances whose fits ended (ok or diverged) that hold one of them
     *                   ({@link #holdsOneOf})
     * @return the checkpoints left
     */
    int tidy(Function<Set<String>, Collection<String>> endedAmong) {
        try {
            FileSystem fs = fs();
            Path dir = new Path(directory);
            if (!fs.exists(dir)) {
                return 0;
            }
            Set<String> left = checkpointsIn(fs, dir);
            Collection<String> ended = left.isEmpty() ? List.of() : endedAmong.apply(left);
            Set<String> ofEnded = new HashSet<>();
            for (String id : ended) {
                ofEnded.add(storedName(id));
                ofEnded.add(partName(id));
            }
            long endedLeft = left.stream().filter(ofEnded::contains).count();
            if (endedLeft == left.size()) {
                fs.delete(dir, true);
                return 0;
            }
            for (String id : ended) {
                discard(id);
            }
            return (int) (left.size() - endedLeft);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Whether one of {@code names} is the checkpoint (whole or part) of instance {@code id}. */
    static boolean holdsOneOf(Set<String> names, String id) {
        return names.contains(storedName(id)) || names.contains(partName(id));
    }

    /** The names of the checkpoints (whole or part) in {@code dir}. */
    private static Set<String> checkpointsIn(FileSystem fs, Path dir) throws IOException {
        Set<String> names = new HashSet<>();
        for (FileStatus file : fs.listStatus(dir, p -> p.getName().endsWith(SUFFIX) || p.getName().endsWith(PART))) {
            names.add(file.getPath().getName());
        }
        return names;
    }

    @Override
    public synchronized void release(String id) {
        java.nio.file.Path folder = localFolders == null ? null : localFolders.remove(id);
        if (folder == null) {
            return;
        }
        try (Stream<java.nio.file.Path> files = Files.walk(folder)) {
            for (java.nio.file.Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a local temporary folder that stays behind costs disk, not results
        }
    }
}
