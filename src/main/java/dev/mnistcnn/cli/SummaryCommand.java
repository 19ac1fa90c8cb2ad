package dev.mnistcnn.cli;

import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelSummary;
import dev.mnistcnn.saving.ModelReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code summary}: Keras's {@code model.summary()} for the seed model or a model file. */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description = "Prints a Keras-style summary table of the seed model, or of --model.")
final class SummaryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      paramLabel = "PATH",
      description = "A model this program can read (SavedModel with provenance, .keras, .h5).")
  Path model;

  @Mixin TrustOption trust;

  @Override
  public Integer call() throws Exception {
    ModelSpec s =
        model == null ? ModelSpec.seedCnn() : ModelReader.readWeights(model, trust.trust()).spec();
    spec.commandLine().getOut().print(ModelSummary.render(s));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
