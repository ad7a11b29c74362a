package io.hermitengp.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * A fixed set of worker threads running independent tasks. Work is always cut into the same
 * tasks whatever the number of threads, and every task writes its own outputs, so results never
 * depend on the thread count or on scheduling.
 */
public final class WorkerPool implements AutoCloseable {
    private final ForkJoinPool pool;
    private final int threads;

    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.pool = new ForkJoinPool(threads);
    }

    public int threads() {
        return threads;
    }

    /** Body of a range task over {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    /** Runs {@code [0, n)} cut into consecutive chunks of {@code grain} items, and waits. */
    public void forRange(int n, int grain, RangeTask task) {
        List<Runnable> tasks = new ArrayList<>();
        for (int from = 0; from < n; from += grain) {
            int start = from;
            int end = Math.min(n, from + grain);
            tasks.add(() -> task.run(start, end));
        }
        runAll(tasks);
    }

    /** Runs the given tasks, and waits for all; the first failure is rethrown. */
    public void runAll(List<Runnable> tasks) {
        if (tasks.size() == 1 || threads == 1) {
            for (Runnable t : tasks) {
                t.run();
            }
            return;
        }
        List<Callable<Void>> callables = new ArrayList<>(tasks.size());
        for (Runnable t : tasks) {
            callables.add(() -> {
                t.run();
                return null;
            });
        }
        List<Future<Void>> futures = pool.invokeAll(callables);
        for (Future<Void> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for workers", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
