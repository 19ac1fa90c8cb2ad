// This machine's practical peak for TensorFlow's CPU kernels: one large square MatMul (oneDNN) in
// TF Java 1.1.0, the runtime the trainer uses. A single-file program, run with the product jar's
// dependencies (tools/bench/bench.py --peak runs it):
//
//   java -cp 'target/lib/*' tools/bench/MatmulPeak.java [--size 2048] [--reps 10]
//       [--threads N] [--dtype float32|bfloat16]
//
// Prints one JSON line: {"dtype", "size", "threads", "reps", "best_s", "median_s", "gflops_best",
// "gflops_median"}. A bfloat16 run casts the operands into bf16 variables once, before timing,
// and multiplies in bf16 (oneDNN uses AMX or AVX512_BF16 where the CPU has them).
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

public final class MatmulPeak {
  public static void main(String[] args) {
    int size = 2048;
    int reps = 10;
    int threads = Runtime.getRuntime().availableProcessors();
    String dtype = "float32";
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--size" -> size = Integer.parseInt(args[++i]);
          case "--reps" -> reps = Integer.parseInt(args[++i]);
          case "--threads" -> threads = Integer.parseInt(args[++i]);
          case "--dtype" -> dtype = args[++i];
          default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
        }
      }
      if (size < 1 || reps < 1 || threads < 1 || !List.of("float32", "bfloat16").contains(dtype)) {
        throw new IllegalArgumentException(
            "--size, --reps, --threads > 0; --dtype float32|bfloat16");
      }
    } catch (RuntimeException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
    System.out.println(run(size, reps, threads, dtype));
  }

  private static String run(int n, int reps, int threads, String dtype) {
    ConfigProto config =
        ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(threads)
            .setInterOpParallelismThreads(1)
            .build();
    try (Graph g = new Graph();
        Session s = new Session(g, config);
        TFloat32 a = random(n, 1);
        TFloat32 b = random(n, 2)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> pa = tf.placeholder(TFloat32.class);
      Placeholder<TFloat32> pb = tf.placeholder(TFloat32.class);
      // Operands live in variables so that each timed run is the MatMul alone.
      Variable<TFloat32> va = tf.variable(Shape.of(n, n), TFloat32.class);
      Variable<TFloat32> vb = tf.variable(Shape.of(n, n), TFloat32.class);
      Operand<?> sum;
      if (dtype.equals("bfloat16")) {
        Variable<TBfloat16> ha = tf.variable(Shape.of(n, n), TBfloat16.class);
        Variable<TBfloat16> hb = tf.variable(Shape.of(n, n), TBfloat16.class);
        s.runner()
            .feed(pa, a)
            .feed(pb, b)
            .addTarget(tf.assign(ha, tf.dtypes.cast(pa, TBfloat16.class)))
            .addTarget(tf.assign(hb, tf.dtypes.cast(pb, TBfloat16.class)))
            .run()
            .close();
        sum = sumOfProduct(tf, ha, hb);
      } else {
        s.runner()
            .feed(pa, a)
            .feed(pb, b)
            .addTarget(tf.assign(va, pa))
            .addTarget(tf.assign(vb, pb))
            .run()
            .close();
        sum = sumOfProduct(tf, va, vb);
      }
      List<Double> seconds = new ArrayList<>();
      for (int r = 0; r < reps + 2; r++) {
        long start = System.nanoTime();
        try (Result result = s.runner().fetch(sum).run()) {
          double t = (System.nanoTime() - start) / 1e9;
          if (r >= 2) { // two warm-up runs: oneDNN primitive creation, page faults
            seconds.add(t);
          }
        }
      }
      Collections.sort(seconds);
      double best = seconds.get(0);
      double median = seconds.get(seconds.size() / 2);
      double flop = 2.0 * n * n * n;
      return String.format(
          Locale.ROOT,
          "{\"dtype\": \"%s\", \"size\": %d, \"threads\": %d, \"reps\": %d, \"best_s\": %.5f,"
              + " \"median_s\": %.5f, \"gflops_best\": %.1f, \"gflops_median\": %.1f}",
          dtype,
          n,
          threads,
          reps,
          best,
          median,
          flop / best / 1e9,
          flop / median / 1e9);
    }
  }

  /** The product's sum is fetched (a scalar), so no 16 MB result crosses into Java. */
  private static <T extends TNumber> Operand<T> sumOfProduct(Ops tf, Operand<T> x, Operand<T> y) {
    return tf.reduceSum(tf.linalg.matMul(x, y), tf.constant(new int[] {0, 1}));
  }

  private static TFloat32 random(int n, long seed) {
    Random random = new Random(seed);
    float[] values = new float[n * n];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat() - 0.5f;
    }
    return TFloat32.tensorOf(Shape.of(n, n), DataBuffers.of(values, true, false));
  }
}
