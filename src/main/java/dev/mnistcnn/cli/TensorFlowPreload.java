package dev.mnistcnn.cli;

import java.util.Set;

/**
 * Loads TensorFlow's native runtime (about a second of CPU: the library's own start-up) on a second
 * core while picocli builds the command line and the command reads its input, for the commands that
 * will need it. Both paths meet in the JVM's initialisation of the class {@code
 * org.tensorflow.TensorFlow}, which every TensorFlow Java class initialises first, so whichever
 * thread gets there first loads the library and the other waits for it.
 */
final class TensorFlowPreload {
  private static final Set<String> COMMANDS =
      Set.of(
          "predict", "evaluate", "serve", "model-server", "train", "profile", "export", "convert");

  private TensorFlowPreload() {}

  /** Starts loading when {@code args} name a command that runs TensorFlow. */
  static void startFor(String[] args) {
    if (args.length == 0 || !COMMANDS.contains(args[0])) {
      return;
    }
    Thread loader = new Thread(TensorFlowPreload::load, "tensorflow-preload");
    loader.setDaemon(true);
    loader.start();
    // An exit (bad input, --help) while the library's static initialisers still run could abort
    // the process in native code: let the exit wait for the load to finish.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitQuietly(loader)));
  }

  private static void load() {
    try {
      Class.forName("org.tensorflow.TensorFlow");
    } catch (Throwable e) {
      // The command's own first use of TensorFlow fails again and reports it properly.
    }
  }

  private static void awaitQuietly(Thread loader) {
    try {
      loader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
