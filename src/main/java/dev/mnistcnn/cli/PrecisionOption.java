package dev.mnistcnn.cli;

import dev.mnistcnn.graph.CpuFeatures;
import dev.mnistcnn.train.Precision;
import picocli.CommandLine.Option;

/** {@code --precision auto|fp32|bf16} for the commands that train. */
final class PrecisionOption {
  @Option(
      names = "--precision",
      defaultValue = "auto",
      paramLabel = "auto|fp32|bf16",
      description =
          "Number format of the convolutions and matmuls (weights stay float32). auto (default):"
              + " bf16 where it measured faster (AMX; AMD's AVX512_BF16), else fp32. bf16 needs"
              + " AMX or AVX512_BF16.")
  String name;

  Precision.Choice resolve() {
    return Precision.choose(name, CpuFeatures.current());
  }
}
