package dev.mnistcnn.graph;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/** Session settings shared by training and inference. */
public final class SessionConfigs {
  /**
   * The environment variable that turns on TensorFlow's oneDNN graph rewrite (fused convolution,
   * pooling and their gradients). TensorFlow turns it on by itself only on processors with
   * AVX512_VNNI, AVX512_BF16 or AMX; on others (AVX2 machines) the seed CNN trains about 2x faster
   * with it. The native runtime reads it once from the process environment, so the command line
   * sets it before TensorFlow loads (see the CLI's launcher) and library users set it themselves.
   */
  public static final String ONEDNN_VARIABLE = "TF_ENABLE_ONEDNN_OPTS";

  /**
   * The environment variable that makes TensorFlow choose deterministic kernels (read once, from
   * the process environment, by {@code tsl::OpDeterminismRequired}; TF 2.18 still does). Its value
   * must be a boolean TensorFlow parses, or the runtime aborts: the launcher only ever sets "1".
   */
  public static final String DETERMINISM_VARIABLE = "TF_DETERMINISTIC_OPS";

  /**
   * The environment variable that gives each session its own intra-op thread pool, sized by its own
   * config, instead of one pool for the whole process sized by the first session (TensorFlow's
   * {@code LocalDevice}, read once at start like the others). The launcher sets it to 1, so that a
   * {@code Predictor} can answer single images on one thread (about twice as fast: no hand-offs
   * between threads for a few microseconds of work each) while batches use every core.
   */
  public static final String PER_SESSION_POOLS_VARIABLE = "TF_OVERRIDE_GLOBAL_THREADPOOL";

  /**
   * The environment variable that tells TensorFlow's oneDNN kernels every filter and weight matrix
   * is constant (read once at start), so that each kernel keeps its weights in oneDNN's own layout
   * after its first run instead of reordering them on every run. Only for processes that never
   * change a variable after a session's first run: the launcher sets it for the commands that only
   * infer ({@code serve}, {@code model-server}, {@code predict}, {@code evaluate}, {@code report}),
   * never for {@code train}, whose validation would read stale weights. Measured on the AVX2 Zen 3:
   * a lone request's p50 0.66 against 0.85-0.92 ms; a kernel whose weights it holds in another
   * layout than a later run needs (another batch size) reorders them as before.
   */
  public static final String FROZEN_WEIGHTS_VARIABLE = "TF_ONEDNN_ASSUME_FROZEN_WEIGHTS";

  private SessionConfigs() {}

  /** Whether each session gets its own intra-op pool in this process (see above). */
  public static boolean perSessionPools() {
    String env = System.getenv(PER_SESSION_POOLS_VARIABLE);
    return env != null && (env.equals("1") || env.equalsIgnoreCase("true"));
  }

  /** Whether TensorFlow's deterministic ops are on in this process. */
  public static boolean deterministicOps() {
    String env = System.getenv(DETERMINISM_VARIABLE);
    return env != null && (env.equals("1") || env.equalsIgnoreCase("true"));
  }

  /**
   * All cores for the intra-op pool (the convolutions), two inter-op threads (measured best for the
   * seed CNN, see docs/benchmarks.md). Overridable with {@code MNIST_CNN_THREADS} and {@code
   * MNIST_CNN_INTER_OP_THREADS} for benchmarks on shared machines.
   */
  public static ConfigProto defaults() {
    return builder().build();
  }

  /**
   * {@link #defaults()}, plus grappler's oneDNN bfloat16 rewrite when {@code bf16}: convolutions,
   * matmuls and their gradients in bfloat16, variables and the update in float32.
   */
  public static ConfigProto training(boolean bf16) {
    return training(bf16, false);
  }

  /**
   * {@link #training(boolean)}; with {@code deterministic} every op runs in the calling thread on
   * one intra-op thread, so that each sum is taken in one fixed order. Measured: with two intra-op
   * threads, two runs of one seed on a loaded machine differed in the last bits now and then (2 of
   * 4 at once), on one thread all 4 agreed. The ops themselves are made deterministic by {@link
   * #DETERMINISM_VARIABLE}, which only the environment can set.
   */
  public static ConfigProto training(boolean bf16, boolean deterministic) {
    RewriterConfig.Builder rewrites = RewriterConfig.newBuilder();
    if (bf16) {
      rewrites.setAutoMixedPrecisionMkl(RewriterConfig.Toggle.ON);
    }
    if ("nchw".equals(System.getenv("MNIST_CNN_CPU_LAYOUT"))) {
      // A benchmark lever (tools/bench/bench_levers.py): grappler transposes convolutions to NCHW.
      rewrites.setCpuLayoutConversion(RewriterConfig.CpuLayout.NHWC_TO_NCHW);
    }
    ConfigProto.Builder config = builder();
    if (deterministic) {
      config.setIntraOpParallelismThreads(1).setInterOpParallelismThreads(-1);
    }
    return config
        .setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(rewrites.build()).build())
        .build();
  }

  /** Whether oneDNN's rewrite is on in this process, as TensorFlow decides it. */
  public static boolean oneDnnEnabled(CpuFeatures cpu) {
    String env = System.getenv(ONEDNN_VARIABLE);
    if (env != null) {
      return env.equals("1") || env.equalsIgnoreCase("true");
    }
    return cpu.flags().contains("avx512_vnni")
        || cpu.flags().contains("avx512_bf16")
        || cpu.flags().contains("amx_tile")
        || cpu.flags().contains("avx_vnni");
  }

  private static ConfigProto.Builder builder() {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(
            threadsFromEnv("MNIST_CNN_THREADS", Runtime.getRuntime().availableProcessors()))
        .setInterOpParallelismThreads(
            "-1".equals(System.getenv("MNIST_CNN_INTER_OP_THREADS"))
                ? -1 // each run's ops in the caller's thread, as inference() does
                : threadsFromEnv("MNIST_CNN_INTER_OP_THREADS", 2));
  }

  /** A thread count from the environment (for benchmarks of the settings), else the default. */
  private static int threadsFromEnv(String variable, int fallback) {
    String env = System.getenv(variable);
    return env != null && env.matches("[1-9][0-9]{0,3}") ? Integer.parseInt(env) : fallback;
  }

  /**
   * As {@link #defaults()}, but each run executes its ops in the calling thread (a negative
   * inter-op count) instead of handing them to the inter-op pool: for a small inference graph the
   * hand-offs cost more than they save, and concurrent callers still run in parallel.
   */
  public static ConfigProto inference() {
    return defaults().toBuilder().setInterOpParallelismThreads(-1).build();
  }

  /**
   * {@link #inference()} on one intra-op thread, for runs of a few images; null where it would not
   * be its own pool ({@link #perSessionPools()} off) or would equal {@link #inference()}.
   */
  public static ConfigProto inferenceOneThread() {
    ConfigProto all = inference();
    if (!perSessionPools() || all.getIntraOpParallelismThreads() <= 1) {
      return null;
    }
    return all.toBuilder().setIntraOpParallelismThreads(1).build();
  }
}
