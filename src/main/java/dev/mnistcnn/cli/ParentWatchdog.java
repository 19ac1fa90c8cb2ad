package dev.mnistcnn.cli;

import java.util.Optional;

/**
 * Ends the relaunched child (see {@link TensorFlowLauncher}) as soon as the process that started it
 * is gone, SIGKILL included, so no {@code train} or {@code serve} outlives the one the user
 * started. A dead parent's children are adopted by init (or a subreaper), which changes their
 * parent id: that is what is watched. Halting mid-write is safe: model writes are atomic and the
 * next run repairs what a killed one left ({@code io.AtomicFiles}).
 */
final class ParentWatchdog {
  /** The id of the launching process, handed to the child in its environment. */
  static final String PARENT_PID = "MNIST_CNN_PARENT_PID";

  /** Exit status of a child whose parent died (no one is left to read it; 128 + SIGHUP). */
  static final int ORPHANED = 129;

  private static final long POLL_MILLIS = 100;

  private ParentWatchdog() {}

  /** Starts watching when this process is a relaunched child; returns at once. */
  static void startIfRelaunched() {
    String expected = System.getenv(PARENT_PID);
    if (expected == null) {
      return;
    }
    long parent;
    try {
      parent = Long.parseLong(expected);
    } catch (NumberFormatException e) {
      return; // not set by us
    }
    haltIfOrphaned(parent);
    Thread watchdog =
        new Thread(
            () -> {
              while (true) {
                haltIfOrphaned(parent);
                try {
                  Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static void haltIfOrphaned(long parent) {
    Optional<ProcessHandle> current = ProcessHandle.current().parent();
    if (current.map(ProcessHandle::pid).orElse(-1L) != parent) {
      Runtime.getRuntime().halt(ORPHANED); // no shutdown hooks: nothing may finish after this
    }
  }
}
