package dev.mnistcnn.cli;

import dev.mnistcnn.data.Dataset;
import dev.mnistcnn.graph.SessionConfigs;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.model.StoredModel;
import dev.mnistcnn.report.TrainingCurves;
import dev.mnistcnn.saving.ModelFormat;
import dev.mnistcnn.saving.ModelReader;
import dev.mnistcnn.saving.ModelWriter;
import dev.mnistcnn.saving.checkpoint.CheckpointStore;
import dev.mnistcnn.saving.checkpoint.RunIdentity;
import dev.mnistcnn.saving.keras.KerasModelConfig;
import dev.mnistcnn.saving.provenance.Provenance;
import dev.mnistcnn.train.Precision;
import dev.mnistcnn.train.Recipe;
import dev.mnistcnn.train.SeedRecipeAccuracy;
import dev.mnistcnn.train.TrainingConfig;
import dev.mnistcnn.train.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train}: the seed recipe by default, exported as a SavedModel with provenance. Maps the
 * options to a {@link TrainingConfig}, hands the run to {@link TrainingRun} (checkpoints through
 * {@link TrainCheckpoints}), says how it went and writes the model.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Trains the CNN (default: the seed recipe, 10 epochs, batch 200, Adam) with the"
            + " test set as validation data, then exports it; --from fine-tunes an existing model.")
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DataOptions data;

  @Option(
      names = "--epochs",
      description =
          "Epochs (default: the recipe's, "
              + TrainingConfig.SEED_EPOCHS
              + " for seed, "
              + Recipe.AUGMENTED_EPOCHS
              + " for augmented).")
  Integer epochs;

  @Option(
      names = "--batch-size",
      defaultValue = "" + TrainingConfig.SEED_BATCH_SIZE,
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
      defaultValue = "" + TrainingConfig.DEFAULT_SEED,
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

  @Mixin RecipeOptions recipeOptions;

  @Mixin SpecOption layers;

  @Mixin OptimizerOption optimizer;

  @Mixin PrecisionOption precision;

  @Mixin OutputCheck outputCheck;

  @Mixin TrustOption trust;

  @Mixin CheckpointOptions checkpoints;

  @Option(
      names = "--deterministic",
      description =
          "Bit-identical weights for a seed: TensorFlow's deterministic ops"
              + " (TF_DETERMINISTIC_OPS=1, set by the launcher), all arithmetic in one thread.")
  boolean deterministic;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TrainOutputs outputs = TrainOutputs.check(output, from, logdir, checkpoints, outputCheck);
    Recipe recipe = recipeOptions.recipe();
    Precision.Choice precisionChoice = precision.resolve();
    TrainingConfig config = config(recipe, precisionChoice);
    CheckpointStore store = checkpoints.writeStore(err);
    Dataset dataset = data.load(err);
    int steps = config.stepsPerEpoch(dataset.train().count());
    config =
        config.withSchedule(
            recipeOptions.schedule(recipe, steps, config.epochs(), config.learningRate()));
    ModelSpec given = layers.load();
    StoredModel parent = from == null ? null : ModelReader.read(from, given, trust.trust());
    // Without --from, --spec names the model to train from fresh weights (default: the seed CNN).
    ModelWeights initial =
        parent != null
            ? parent.weights()
            : (given == null ? recipe.model() : given).initialWeights(seed);
    ModelSpec model = initial.spec();
    printStart(out, dataset, config, precisionChoice, recipe);
    RunIdentity run =
        RunIdentity.of(
            KerasModelConfig.toKeras3(model), config, dataset.kind().cliName(), dataset.sha256());
    TrainingRun training = new TrainingRun(config, initial, dataset, outputs.logdir());
    TrainingRun.Result result =
        training.run(
            new ConsoleTrainingListener(out, TensorFlowLauncher.interactive()),
            new TrainCheckpoints(
                checkpoints.resumeStore(err),
                store,
                checkpoints.everySteps(),
                run,
                steps,
                config.epochs(),
                out));
    out.printf(Locale.ROOT, "CNN Error: %.2f%%%n", 100 * (1 - result.test().accuracy()));
    if (SeedRecipeAccuracy.covers(config, model, dataset.kind(), parent == null)) {
      out.println(SeedRecipeAccuracy.line()); // one run is one draw: say what to expect
    }
    save(training, result, precisionChoice.reason(), parent, outputs.model(), err);
    out.println("Saved model to " + output);
    return 0;
  }

  /** The first line: what is trained on, how. */
  private void printStart(
      PrintWriter out,
      Dataset dataset,
      TrainingConfig config,
      Precision.Choice precisionChoice,
      Recipe recipe) {
    out.printf(
        Locale.ROOT,
        "Training on %,d images, validating on %,d (%s), %d epochs, batch %d, seed %d, %s%s%n",
        limit == 0 ? dataset.train().count() : Math.min(limit, dataset.train().count()),
        dataset.test().count(),
        dataset.kind().cliName(),
        config.epochs(),
        batchSize,
        seed,
        precisionChoice.describe(),
        recipe == Recipe.SEED ? "" : ", recipe " + recipe.cliName());
    out.flush();
  }

  /** Writes the trained model with its provenance (and, beside a model file, its curves). */
  private void save(
      TrainingRun training,
      TrainingRun.Result result,
      String precisionReason,
      StoredModel parent,
      Path target,
      PrintWriter err)
      throws IOException {
    Provenance provenance =
        training.provenance(
            result,
            from == null ? "mnist-cnn train" : "mnist-cnn train --from " + from,
            precisionReason,
            parent == null ? null : parent.provenance());
    ModelWriter.write(
        result.weights(),
        provenance,
        target,
        ModelFormat.forOutput(target, null),
        outputCheck.force,
        TrainingCurves.pngOrWarn(result.history(), err));
  }

  /** The options as a config, its learning-rate schedule aside (that needs the data's size). */
  private TrainingConfig config(Recipe recipe, Precision.Choice precisionChoice) {
    TrainingConfig config =
        recipe
            .config()
            .withEpochs(epochs == null ? recipe.config().epochs() : epochs)
            .withBatchSize(batchSize)
            .withSeed(seed)
            .withLimit(limit)
            .withOptimizer(optimizer.resolve())
            .withPrecision(precisionChoice.precision())
            .withDeterministic(deterministic)
            .withAugmentation(recipeOptions.augmentation(recipe));
    if (deterministic && !SessionConfigs.deterministicOps()) {
      throw new IllegalArgumentException(
          "--deterministic needs "
              + SessionConfigs.DETERMINISM_VARIABLE
              + "=1 in the environment when TensorFlow starts (the launcher sets it unless it is"
              + " set already; it is '"
              + System.getenv(SessionConfigs.DETERMINISM_VARIABLE)
              + "')");
    }
    return config;
  }
}
