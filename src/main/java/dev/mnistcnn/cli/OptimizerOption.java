package dev.mnistcnn.cli;

import dev.mnistcnn.train.OptimizerSettingException;
import dev.mnistcnn.train.OptimizerSpec;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --optimizer}, {@code --learning-rate}, {@code --momentum}, {@code --nesterov}. */
final class OptimizerOption {
  /** The flag of each optimizer setting the command line sets, by its Keras name. */
  private static final Map<String, String> FLAGS =
      Map.of(
          "optimizer", "--optimizer", "learning_rate", "--learning-rate", "momentum", "--momentum");

  @Option(
      names = "--optimizer",
      defaultValue = "adam",
      paramLabel = "adam|sgd|rmsprop",
      description =
          "Optimizer, with Keras 3's defaults (default: ${DEFAULT-VALUE}): adam (lr 0.001, beta_1"
              + " 0.9, beta_2 0.999, epsilon 1e-7), sgd (lr 0.01, momentum 0), rmsprop (lr 0.001,"
              + " rho 0.9, momentum 0, epsilon 1e-7).")
  String name;

  @Option(
      names = "--learning-rate",
      paramLabel = "X",
      description = "Learning rate (default: the optimizer's Keras default).")
  Double learningRate;

  @Option(
      names = "--momentum",
      paramLabel = "X",
      description = "Momentum in [0, 1] for sgd and rmsprop (default: 0).")
  Double momentum;

  @Option(names = "--nesterov", description = "Nesterov momentum for sgd (needs --momentum > 0).")
  boolean nesterov;

  /**
   * The optimizer asked for; a bad name or value is an IllegalArgumentException of one line, which
   * names the flag that set it.
   */
  OptimizerSpec resolve() {
    try {
      return spec();
    } catch (OptimizerSettingException e) {
      String flag = FLAGS.get(e.setting());
      throw flag == null ? e : new IllegalArgumentException(e.messageNaming(flag), e);
    }
  }

  private OptimizerSpec spec() {
    OptimizerSpec spec = OptimizerSpec.defaults(name);
    if (learningRate != null) {
      spec = spec.withLearningRate(learningRate);
    }
    if (spec instanceof OptimizerSpec.Sgd sgd) {
      double m = momentum == null ? sgd.momentum() : momentum;
      if (nesterov && !(m > 0)) {
        throw new IllegalArgumentException("--nesterov needs --momentum greater than 0");
      }
      return new OptimizerSpec.Sgd(sgd.learningRate(), m, nesterov);
    }
    if (nesterov) {
      throw new IllegalArgumentException("--nesterov applies to --optimizer sgd only");
    }
    if (spec instanceof OptimizerSpec.RmsProp rms && momentum != null) {
      return new OptimizerSpec.RmsProp(rms.learningRate(), rms.rho(), momentum, rms.epsilon());
    }
    if (momentum != null) {
      throw new IllegalArgumentException("--momentum applies to --optimizer sgd or rmsprop only");
    }
    return spec;
  }
}
