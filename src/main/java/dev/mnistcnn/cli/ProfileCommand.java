package dev.mnistcnn.cli;

import dev.mnistcnn.data.Dataset;
import dev.mnistcnn.graph.CpuFeatures;
import dev.mnistcnn.graph.SessionConfigs;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.train.Precision;
import dev.mnistcnn.train.StepProfile;
import dev.mnistcnn.train.Trainer;
import dev.mnistcnn.train.TrainingConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code profile}: where a training step's time goes, op by op (TensorFlow step statistics). */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description =
        "Times training steps of the seed CNN, then traces as many and prints the graph nodes"
            + " with the largest share of a step (ops running side by side split the time they"
            + " share), the kernel TensorFlow ran for each and its start-to-end span (tracing adds"
            + " overhead: compare ops with each other).")
final class ProfileCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DataOptions data;

  @Mixin PrecisionOption precision;

  @Option(
      names = "--steps",
      defaultValue = "20",
      description = "Steps timed, then as many traced (default: 20).")
  int steps;

  @Option(
      names = "--batch-size",
      defaultValue = "" + TrainingConfig.SEED_BATCH_SIZE,
      description = "Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--top", defaultValue = "15", description = "Nodes to print (default: 15).")
  int top;

  @Override
  public Integer call() throws Exception {
    if (steps <= 0 || top <= 0) {
      throw new IllegalArgumentException("--steps and --top must be positive");
    }
    PrintWriter out = spec.commandLine().getOut();
    Dataset dataset = data.load(spec.commandLine().getErr());
    Precision.Choice choice = precision.resolve();
    TrainingConfig config =
        TrainingConfig.seedRecipe().withBatchSize(batchSize).withPrecision(choice.precision());
    CpuFeatures cpu = CpuFeatures.current();
    try (Trainer trainer = new Trainer(ModelSpec.seedCnn().initialWeights(1), config)) {
      StepProfile p = trainer.profile(dataset.train(), 5, steps);
      out.printf(
          Locale.ROOT,
          "%s, %s, oneDNN %s, batch %d: %.1f ms per step untraced, %.1f ms per traced step"
              + " (%d steps each)%n",
          cpu.summary(),
          choice.describe(),
          SessionConfigs.oneDnnEnabled(CpuFeatures.detected()) ? "on" : "off",
          p.batchSize(),
          p.untracedWallMillisPerStep(),
          p.wallMillisPerStep(),
          p.steps());
      out.printf(
          Locale.ROOT,
          "traced by TensorFlow: %.1f ms from first op to last, %.1f ms with an op running%n",
          p.spanMillisPerStep(),
          p.busyMillisPerStep());
      // share: the node's part of the busy time, overlap split among the ops running together.
      out.printf(Locale.ROOT, "%-44s %-40s %8s %8s%n", "node", "kernel", "share ms", "span ms");
      List<StepProfile.NodeTime> nodes = p.nodes();
      for (StepProfile.NodeTime t : nodes.subList(0, Math.min(top, nodes.size()))) {
        out.printf(
            Locale.ROOT,
            "%-44s %-40s %8.2f %8.2f%n",
            t.node(),
            t.kernel(),
            t.shareMillisPerStep(),
            t.millisPerStep());
      }
    }
    return 0;
  }
}
