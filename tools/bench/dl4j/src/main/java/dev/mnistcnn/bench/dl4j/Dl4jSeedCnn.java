package dev.mnistcnn.bench.dl4j;

import dev.mnistcnn.bench.IdxImages;
import dev.mnistcnn.bench.SeedRecipe;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains the seed recipe in Deeplearning4j and prints Keras-style epoch lines, then one JSON line
 * with the same keys tools/reference/keras_seed.py prints (epoch_seconds, test_accuracy, params,
 * ...).
 */
@Command(
    name = "bench-dl4j",
    mixinStandardHelpOptions = true,
    description =
        "The seed MNIST CNN trained in Deeplearning4j (batch 200, Adam, validation on"
            + " the test set each epoch, included in the epoch time).")
public final class Dl4jSeedCnn implements Callable<Integer> {
  @Mixin SeedRecipe recipe;

  @Option(
      names = "--format",
      defaultValue = "NHWC",
      description =
          "Activation layout: NHWC (default: the faster here, 22-29 s against 38-40 s"
              + " per 2,000-image epoch with validation) or NCHW (DL4J's own default).")
  CNN2DFormat format;

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Dl4jSeedCnn()).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          return 1;
        });
    System.exit(cli.execute(args));
  }

  @Override
  public Integer call() throws Exception {
    recipe.requireValid();
    IdxImages train = recipe.trainImages();
    IdxImages test = recipe.testImages();
    MultiLayerNetwork net = SeedCnn.build(recipe.seed(), format);
    Batches batches = new Batches(format);
    return recipe.run(
        new SeedRecipe.Peer() {
          @Override
          public void step(IdxImages images, int[] order, int from, int size) {
            net.fit(batches.of(images, order, from, size));
          }

          @Override
          public SeedRecipe.Score evaluate(IdxImages images) {
            return batches.evaluate(net, images);
          }

          @Override
          public long params() {
            return net.numParams();
          }

          @Override
          public String jsonFields() {
            return String.format(
                Locale.ROOT,
                "\"framework\": \"deeplearning4j\", \"backend\": \"%s\", \"format\": \"%s\"",
                Nd4j.getBackend().getClass().getSimpleName(),
                format);
          }
        },
        train,
        test);
  }
}
