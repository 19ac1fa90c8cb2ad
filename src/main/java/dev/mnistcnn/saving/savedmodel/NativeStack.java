package dev.mnistcnn.saving.savedmodel;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs work that may send TensorFlow's native code into deep recursion (importing a graph,
 * optimising it at the first run) on a thread with a large stack. A Java thread's native code
 * shares its stack (1 MB by default), and an overflow there is a SIGSEGV that kills the JVM with no
 * message; {@link GraphBounds} keeps graphs shallow, this keeps what gets through far from the
 * limit. The stack is reserved, not committed: only the pages touched cost memory.
 */
public final class NativeStack {
  /** Bytes of stack for the worker thread. */
  static final long STACK_BYTES = 512L << 20;

  private NativeStack() {}

  /** {@code work}'s result, computed on a large-stack thread; its exceptions are rethrown here. */
  public static <T, E extends Exception> T call(Class<E> checked, Callable<T> work) throws E {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                result.set(work.call());
              } catch (Throwable e) { // handed to the caller's thread
                failure.set(e);
              }
            },
            "tensorflow-large-stack",
            STACK_BYTES);
    t.setDaemon(true);
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the native call cannot be stopped; wait, then restore the flag
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable e = failure.get();
    if (e == null) {
      return result.get();
    }
    if (checked.isInstance(e)) {
      throw checked.cast(e);
    }
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error r) {
      throw r;
    }
    throw new IllegalStateException(e);
  }
}
