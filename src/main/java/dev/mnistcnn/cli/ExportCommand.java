package dev.mnistcnn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code export}: the older form of {@code convert} ({@link ModelConversion}, the one operation),
 * hidden from the command list but kept for scripts: its option names ({@code --model}, the shipped
 * model by default; {@code --format} required), messages and provenance ("mnist-cnn export from")
 * stay as they were.
 */
@Command(
    name = "export",
    hidden = true,
    mixinStandardHelpOptions = true,
    description =
        "Exports --model as a SavedModel (TF Serving, tf.saved_model.load), a .keras"
            + " file (keras.models.load_model, Keras 3.0+) or a legacy .h5 file, with provenance."
            + " The older form of convert (convert --input M --format F --output PATH).")
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SpecOption layers;

  @Mixin OutputCheck outputCheck;

  @Mixin ModelOption model;

  @Option(
      names = "--format",
      required = true,
      paramLabel = "FORMAT",
      description = "savedmodel, keras or h5.")
  String format;

  @Mixin ConversionOutput output;

  @Override
  public Integer call() throws Exception {
    ModelConversion.run(
        "export",
        model.path,
        model.trust(),
        output.path,
        format,
        layers,
        outputCheck,
        spec.commandLine().getOut());
    return 0;
  }
}
