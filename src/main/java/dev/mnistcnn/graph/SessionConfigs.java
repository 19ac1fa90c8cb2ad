package dev.mnistcnn.graph;

import org.tensorflow.proto.ConfigProto;

/** Session settings shared by training and inference. */
public final class SessionConfigs {
  private SessionConfigs() {}

  /**
   * All cores for the intra-op pool (the convolutions), two inter-op threads. Overridable with
   * {@code MNIST_CNN_THREADS} for benchmarks on shared machines.
   */
  public static ConfigProto defaults() {
    int threads = Runtime.getRuntime().availableProcessors();
    String env = System.getenv("MNIST_CNN_THREADS");
    if (env != null && env.matches("[1-9][0-9]{0,3}")) {
      threads = Integer.parseInt(env);
    }
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(threads)
        .setInterOpParallelismThreads(2)
        .build();
  }
}
