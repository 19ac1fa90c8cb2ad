package dev.mnistcnn.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convert}: any readable model to any writable format, weights bit for bit ({@link
 * ModelConversion}); {@code export} is its older, hidden form.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description =
        "Converts a model between SavedModel, .keras and .h5. The output format comes"
            + " from --format, else the output's extension (.keras, .h5), else a SavedModel"
            + " directory. The weights are copied bit for bit; provenance records the source."
            + " For TF Serving or tf.saved_model.load write a SavedModel; for"
            + " keras.models.load_model (Keras 3.0+) a .keras file.")
final class ConvertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SpecOption layers;

  @Mixin OutputCheck outputCheck;

  @Mixin TrustOption trust;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "PATH",
      description = "SavedModel directory, .keras or .h5 file.")
  Path input;

  @Mixin ConversionOutput output;

  @Option(names = "--format", paramLabel = "FORMAT", description = "savedmodel, keras or h5.")
  String format;

  @Override
  public Integer call() throws Exception {
    ModelConversion.run(
        "convert",
        input,
        trust.trust(),
        output.path,
        format,
        layers,
        outputCheck,
        spec.commandLine().getOut());
    return 0;
  }
}
