package dev.mnistcnn.cli;

import dev.mnistcnn.data.Dataset;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fetch}: gets and checks a dataset ahead of time (train and evaluate do it on demand). */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description = "Fetches the dataset if missing and checks every file's SHA-256.")
final class FetchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DataOptions data;

  @Override
  public Integer call() throws Exception {
    Dataset d = data.load(spec.commandLine().getErr());
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "%s: %,d training and %,d test images, checksums verified%n",
            d.kind().cliName(),
            d.train().count(),
            d.test().count());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
