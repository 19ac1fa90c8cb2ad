package dev.mnistcnn.graph;

import dev.mnistcnn.saving.provenance.BuildInfo;
import dev.mnistcnn.saving.provenance.Versions;
import org.tensorflow.TensorFlow;

/** The runtime's part of a model's provenance: the versions and machine that shaped it. */
public final class RuntimeVersions {
  private RuntimeVersions() {}

  /** This program, TensorFlow, Java, the OS, the CPU and whether oneDNN kernels are on. */
  public static Versions current() {
    return new Versions(
        BuildInfo.projectVersion(),
        TensorFlow.version(),
        BuildInfo.tensorFlowJavaVersion(),
        System.getProperty("java.version"),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        CpuFeatures.current().summary(),
        SessionConfigs.oneDnnEnabled(CpuFeatures.detected()) ? "on" : "off",
        null);
  }
}
