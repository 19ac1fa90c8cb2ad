package dev.mnistcnn.cli;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Hides TensorFlow's native start-up chatter. The C++ runtime reads {@code TF_CPP_MIN_LOG_LEVEL}
 * from the process environment, which Java cannot change, so when it is unset the program starts
 * itself once more with it set to 2 (warnings and errors still show), passing stdin, stdout,
 * stderr and the exit code through. Set it yourself (e.g. to 0) to see everything.
 */
final class NativeLogQuieter {
  static final String VARIABLE = "TF_CPP_MIN_LOG_LEVEL";

  private NativeLogQuieter() {}

  /** Returns true when the work was done by a child process (the caller then just returns). */
  static boolean relaunchIfNeeded(String[] args) {
    if (System.getenv(VARIABLE) != null) {
      return false;
    }
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current().info().command().orElse(
            System.getProperty("java.home") + "/bin/java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    pb.environment().put(VARIABLE, "2");
    try {
      Process child = pb.start();
      Runtime.getRuntime().addShutdownHook(new Thread(child::destroy));
      int code = child.waitFor();
      System.out.flush();
      Runtime.getRuntime().halt(code);
      return true;
    } catch (Exception e) {
      return false; // could not relaunch: run here, chatter and all
    }
  }
}
