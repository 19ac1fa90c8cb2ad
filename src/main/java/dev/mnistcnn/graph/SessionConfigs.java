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

  /**
   * As {@link #defaults()}, but each run executes its ops in the calling thread (a negative
   * inter-op count) instead of handing them to the inter-op pool: for a small inference graph
   * the hand-offs cost more than they save, and concurrent callers still run in parallel.
   */
  public static ConfigProto inference() {
    return defaults().toBuilder().setInterOpParallelismThreads(-1).build();
  }
}
