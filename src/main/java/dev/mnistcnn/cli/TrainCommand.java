package dev.mnistcnn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mnistcnn.data.Dataset;
import dev.mnistcnn.io.ModelFormat;
import dev.mnistcnn.io.ModelReader;
import dev.mnistcnn.io.ModelWriter;
import dev.mnistcnn.io.Provenance;
import dev.mnistcnn.io.StoredModel;
import dev.mnistcnn.keras.KerasModelConfig;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.report.TrainingCurves;
import dev.mnistcnn.train.EpochMetrics;
import dev.mnistcnn.train.LossAndAccuracy;
import dev.mnistcnn.train.Trainer;
import dev.mnistcnn.train.TrainingConfig;
import dev.mnistcnn.train.TrainingListener;
import dev.mnistcnn.train.TrainingListeners;
import dev.mnistcnn.train.tensorboard.TensorBoardListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: the seed recipe by default, exported as a SavedModel with provenance. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Trains the CNN (default: the seed recipe, 10 epochs, batch 200, Adam) with the"
            + " test set as validation data, then exports it; --from fine-tunes an existing model.")
final class TrainCommand implements Callable<Integer> {
  private static final TrainingConfig RECIPE = TrainingConfig.seedRecipe();

  @Spec CommandSpec spec;

  @Mixin DataOptions data;

  @Option(
      names = "--epochs",
      defaultValue = "10",
      description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--batch-size",
      defaultValue = "200",
      description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--limit",
      defaultValue = "0",
      paramLabel = "N",
      description = "Train on the first N training images only (default: all).")
  int limit;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed for initial weights and" + " shuffling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--output",
      defaultValue = "saved_model",
      paramLabel = "DIR",
      description =
          "Where to write the model (default: ${DEFAULT-VALUE}): a SavedModel"
              + " directory, or a .keras / .h5 file by extension; replaced atomically.")
  Path output;

  @Option(
      names = "--from",
      paramLabel = "PATH",
      description =
          "Fine-tune: start from this model's layers and weights (SavedModel, .keras,"
              + " .h5) instead of fresh ones; recorded as the parent in the provenance.")
  Path from;

  @Option(
      names = "--logdir",
      paramLabel = "DIR",
      description =
          "Also write TensorBoard event files into DIR/train and DIR/validation (added;"
              + " nothing there is removed).")
  Path logdir;

  @Mixin SpecOption layers;

  @Mixin PrecisionOption precision;

  @Mixin OutputCheck outputCheck;

  @Mixin TrustOption trust;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    outputCheck.require(output, from);
    TrainingConfig config =
        RECIPE
            .withEpochs(epochs)
            .withBatchSize(batchSize)
            .withSeed(seed)
            .withLimit(limit)
            .withPrecision(precision.resolve());
    Dataset dataset = data.load(err);
    StoredModel parent = from == null ? null : ModelReader.read(from, layers.load(), trust.trust());
    ModelWeights initial =
        parent == null ? ModelSpec.seedCnn().initialWeights(seed) : parent.weights();
    ModelSpec model = initial.spec();
    out.printf(
        Locale.ROOT,
        "Training on %,d images, validating on %,d (%s), %d epochs, batch %d, seed %d, %s%n",
        limit == 0 ? dataset.train().count() : Math.min(limit, dataset.train().count()),
        dataset.test().count(),
        dataset.kind().cliName(),
        epochs,
        batchSize,
        seed,
        config.precision().cliName());
    out.flush();
    try (Trainer trainer = new Trainer(initial, config);
        TensorBoardListener board =
            logdir == null
                ? null
                : new TensorBoardListener(logdir, trainer::weights, trainer.graphDef())) {
      TrainingListener console = new ConsoleTrainingListener(out, NativeLogQuieter.interactive());
      List<EpochMetrics> history =
          trainer.fit(
              dataset.train(),
              dataset.test(),
              board == null ? console : TrainingListeners.of(console, board));
      LossAndAccuracy test = trainer.evaluate(dataset.test());
      out.printf(Locale.ROOT, "CNN Error: %.2f%%%n", 100 * (1 - test.accuracy()));
      ModelWeights trained = trainer.weights();
      Provenance provenance =
          Provenance.create(
              from == null ? "mnist-cnn train" : "mnist-cnn train --from " + from,
              config.describe(),
              seed,
              dataset.kind().cliName(),
              dataset.sha256(),
              results(test, history),
              null,
              KerasModelConfig.toKeras3(model),
              parent == null ? null : parent.provenance());
      ModelWriter.write(
          trained,
          provenance,
          output,
          ModelFormat.forOutput(output, null),
          outputCheck.force,
          TrainingCurves.pngOrWarn(history, err));
      out.println("Saved model to " + output);
    }
    return 0;
  }

  private static Map<String, Object> results(LossAndAccuracy test, List<EpochMetrics> history) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("test_accuracy", test.accuracy());
    r.put("test_loss", test.loss());
    r.put("test_samples", test.samples());
    r.put("history", new ObjectMapper().valueToTree(history));
    return r;
  }
}
