package dev.mnistcnn.cli;

import dev.mnistcnn.graph.RuntimeVersions;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code java -jar mnist-cnn.jar <command>}. */
@Command(
    name = "mnist-cnn",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Trains, evaluates, serves and converts the classic Keras MNIST CNN, natively in"
            + " TensorFlow Java.",
    subcommands = {
      TrainCommand.class,
      ProfileCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
      ServeCommand.class,
      ModelServerCommand.class,
      SummaryCommand.class,
      FetchCommand.class,
      ExportCommand.class,
      ConvertCommand.class,
      ReportCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Exit code for bad input or a failed operation; usage errors get picocli's 2. */
  public static final int EXIT_FAILURE = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  static {
    // jhdf logs through SLF4J; with no provider SLF4J warns on stderr, breaking one-line errors.
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
  }

  public static void main(String[] arguments) {
    ParentWatchdog.startIfRelaunched();
    String[] args = RawArguments.restore(arguments);
    if (TensorFlowLauncher.relaunchIfNeeded(args)) {
      return;
    }
    TensorFlowPreload.startFor(args);
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests with their own writers. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(Main::onExecutionError);
    cl.setParameterExceptionHandler(Main::onUsageError);
    return cl;
  }

  private static int onExecutionError(
      Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    err.println("error: " + ErrorMessages.oneLine(e));
    if (System.getenv("MNIST_CNN_DEBUG") != null) {
      e.printStackTrace(err);
    }
    err.flush();
    return EXIT_FAILURE;
  }

  private static int onUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("error: " + e.getMessage());
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** {@code --version}: this program and the TensorFlow runtime it runs. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      var v = RuntimeVersions.current();
      return new String[] {
        "mnist-cnn " + v.mnistCnn(),
        "TensorFlow " + v.tensorflow() + " (TensorFlow Java " + v.tensorflowJava() + ")",
        "Java " + v.java() + " on " + v.os()
      };
    }
  }
}
