package dev.mnistcnn.cli;

import dev.mnistcnn.graph.SessionConfigs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The program in a JVM of its own, as a user starts it, and ways to end it hard. */
final class Jvm {
  private Jvm() {}

  /**
   * A process running {@code Main} with {@code args}. {@code relaunch}: as a user runs it, with no
   * {@code TF_CPP_MIN_LOG_LEVEL}, so that it starts its quieted child JVM; otherwise one JVM.
   */
  static ProcessBuilder program(boolean relaunch, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove(ParentWatchdog.PARENT_PID);
    if (relaunch) {
      pb.environment().remove(TensorFlowLauncher.VARIABLE);
    } else { // what the relaunch would set, so that it does not happen
      pb.environment().put(TensorFlowLauncher.VARIABLE, "2");
      pb.environment().putIfAbsent(SessionConfigs.ONEDNN_VARIABLE, "1");
    }
    return pb;
  }

  /** SIGKILLs {@code process} and everything it started, and waits until they are gone. */
  static void killTree(Process process) throws InterruptedException {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.waitFor(30, TimeUnit.SECONDS);
    for (ProcessHandle d : descendants) {
      d.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> d).join();
    }
  }

  /** Runs to the end (at most {@code seconds}); returns the exit code. */
  static int runToEnd(ProcessBuilder pb, Path log, long seconds)
      throws IOException, InterruptedException {
    Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        throw new AssertionError("still running after " + seconds + " s: " + pb.command());
      }
      return p.exitValue();
    } finally {
      killTree(p);
    }
  }
}
