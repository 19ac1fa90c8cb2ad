package dev.mnistcnn.cli;

import dev.mnistcnn.graph.SessionConfigs;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The launcher: where the environment lacks them, starts the program once more in a child JVM whose
 * environment holds the variables TensorFlow's C++ runtime reads only from there, which Java cannot
 * change: {@code TF_CPP_MIN_LOG_LEVEL=2}, hiding the native start-up chatter, {@code
 * TF_ENABLE_ONEDNN_OPTS=1} and per-session thread pools (see {@link SessionConfigs}), oneDNN's
 * frozen weights for the commands that only infer, and {@code TF_DETERMINISTIC_OPS=1} for {@code
 * train --deterministic}, each unless set already. It passes stdin, stdout and the exit code
 * through and stderr through {@link NativeLogFilter}, as some lines (absl logging) ignore the log
 * level. Set {@code TF_CPP_MIN_LOG_LEVEL} yourself (e.g. to 0) to see everything. The child ends
 * itself when this process dies ({@link ParentWatchdog}); a SIGTERM or Ctrl-C here is passed on to
 * it as SIGTERM, and this process waits for the child to finish stopping (at most {@link
 * #STOP_SECONDS}) and exits with its status.
 *
 * <p>Why not one JVM: the variables must be in the environment before TensorFlow's native library
 * loads, and neither Java nor JavaCPP (no {@code setenv} binding) can set them there; and the absl
 * lines would still need stderr, a file descriptor, filtered.
 */
final class TensorFlowLauncher {
  static final String VARIABLE = "TF_CPP_MIN_LOG_LEVEL";

  /**
   * The commands that never change a model's variables after its first run, which may tell oneDNN
   * to keep its weights reordered ({@link SessionConfigs#FROZEN_WEIGHTS_VARIABLE}).
   */
  static final Set<String> INFERENCE_ONLY =
      Set.of("serve", "model-server", "predict", "evaluate", "report");

  /** Set for the child when the parent runs on a terminal, so progress bars still show. */
  static final String INTERACTIVE = "MNIST_CNN_INTERACTIVE";

  /**
   * How long a stopping launcher waits for the child's own shutdown before it SIGKILLs it: above
   * {@code serve}'s 30 s for the requests in flight, with time to close the rest.
   */
  static final long STOP_SECONDS = 60;

  /** Whether output goes to a person at a terminal (directly, or through the relaunch). */
  @SuppressWarnings("SystemConsoleNull") // release 17: null unless a terminal (JDK 22 changes it)
  static boolean interactive() {
    return System.console() != null || "1".equals(System.getenv(INTERACTIVE));
  }

  private TensorFlowLauncher() {}

  /** Returns true when the work was done by a child process (the caller then just returns). */
  @SuppressWarnings("SystemConsoleNull") // release 17: null unless a terminal (JDK 22 changes it)
  static boolean relaunchIfNeeded(String[] args) {
    boolean deterministic = deterministic(args);
    if (System.getenv(VARIABLE) != null
        && System.getenv(SessionConfigs.ONEDNN_VARIABLE) != null
        && !(deterministic && System.getenv(SessionConfigs.DETERMINISM_VARIABLE) == null)) {
      return false;
    }
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(System.getProperty("java.home") + "/bin/java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.INHERIT)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT);
    setTensorFlowVariables(pb.environment(), args);
    pb.environment().put(ParentWatchdog.PARENT_PID, String.valueOf(ProcessHandle.current().pid()));
    RawArguments.passOn(args, pb.environment()); // non-ASCII arguments under LC_ALL=C
    if (System.console() != null) {
      pb.environment().put(INTERACTIVE, "1"); // the child's stderr is a pipe: tell it
    }
    try {
      Process child = pb.start();
      Thread errors =
          new Thread(
              () -> {
                try {
                  NativeLogFilter.pump(child.getErrorStream(), System.err);
                } catch (java.io.IOException e) {
                  // the child is gone; nothing left to copy
                }
              },
              "stderr-filter");
      errors.start();
      LauncherSignals.install();
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> stopChild(child, errors), "stop-child"));
      int code = child.waitFor();
      errors.join();
      System.out.flush();
      Runtime.getRuntime().halt(code);
      return true;
    } catch (Exception e) {
      return false; // could not relaunch: run here, chatter and all
    }
  }

  private static boolean deterministic(String[] args) {
    return List.of(args).contains("--deterministic");
  }

  /** The variables TensorFlow reads from the child's environment {@code env}, unless set there. */
  static void setTensorFlowVariables(Map<String, String> env, String[] args) {
    env.putIfAbsent(VARIABLE, "2");
    // oneDNN's fused kernels, also on processors where TensorFlow leaves them off by default.
    env.putIfAbsent(SessionConfigs.ONEDNN_VARIABLE, "1");
    // A thread pool per session: single-image predictions on one thread, batches on all.
    env.putIfAbsent(SessionConfigs.PER_SESSION_POOLS_VARIABLE, "1");
    if (args.length > 0 && INFERENCE_ONLY.contains(args[0])) {
      env.putIfAbsent(SessionConfigs.FROZEN_WEIGHTS_VARIABLE, "1");
    }
    if (deterministic(args)) { // train --deterministic
      env.putIfAbsent(SessionConfigs.DETERMINISM_VARIABLE, "1");
    }
  }

  /**
   * This process is shutting down (SIGTERM, Ctrl-C, hang-up): pass the same signal to the child and
   * wait for its own shutdown, e.g. {@code serve} finishing the requests in flight, then leave with
   * its status (130 after a Ctrl-C, 143 after a SIGTERM). Returning earlier would end this process,
   * and the child's watchdog would then halt it mid-drain.
   */
  private static void stopChild(Process child, Thread errors) {
    LauncherSignals.forward(child);
    try {
      if (!child.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
        child.destroyForcibly(); // nothing may outlive this process
        child.waitFor();
      }
      errors.join(TimeUnit.SECONDS.toMillis(1)); // the child's last words, e.g. its error line
    } catch (InterruptedException e) {
      child.destroyForcibly();
      Thread.currentThread().interrupt();
      return;
    }
    System.out.flush();
    Runtime.getRuntime().halt(child.exitValue());
  }
}
