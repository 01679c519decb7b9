package io.meshlint.cli.lsp;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one thread that owns the workspace. A task that fails is reported on standard error and the
 * thread goes on with the next: one bad message must not stop the server.
 */
final class Worker {
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "meshlint-lsp-worker");
    t.setDaemon(true);
    return t;
  });

  void execute(Runnable task) {
    executor.execute(guarded(task));
  }

  ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    return executor.schedule(guarded(task), delay, unit);
  }

  /** The task's result, computed on the worker in turn with the editor's earlier messages. */
  <T> CompletableFuture<T> submit(Supplier<T> task) {
    return CompletableFuture.supplyAsync(task, executor);
  }

  void stop() {
    executor.shutdownNow();
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | StackOverflowError e) {
        System.err.println("meshlint lsp: internal error: " + e);
        e.printStackTrace();
      }
    };
  }
}
