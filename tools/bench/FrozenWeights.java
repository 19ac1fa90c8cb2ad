// The seed CNN's inference graph built twice in one process, its weights as variables (as in a
// SavedModel) and as constants (a frozen graph, whose filters oneDNN may reorder once and cache),
// each run on a one-thread session as the serving lane for a few images runs it: median
// microseconds per run of 1 and 16 images over alternating rounds. A single-file program, run
// with the product jar's dependencies, once with oneDNN on and once off:
//
//   TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=1 TF_OVERRIDE_GLOBAL_THREADPOOL=1 \
//       java -cp 'target/lib/*' tools/bench/FrozenWeights.java
//
// Measured on the AVX2 Zen 3 (docs/serving.md): no gain from constants either way.
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/** Variables against constants for the weights of the inference graph. */
public final class FrozenWeights {
  static final Random R = new Random(1);

  static float[] rnd(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) R.nextGaussian() * 0.1f;
    return v;
  }

  record Model(Graph g, Session s, Placeholder<TFloat32> x, Operand<TFloat32> y)
      implements AutoCloseable {
    @Override
    public void close() {
      s.close();
      g.close();
    }
  }

  static Model build(boolean frozen, Map<String, float[]> w) {
    Graph g = new Graph();
    Ops tf = Ops.create(g);
    ConfigProto cfg =
        ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(1)
            .setInterOpParallelismThreads(-1)
            .build();
    Session s = new Session(g, cfg);
    java.util.function.BiFunction<String, long[], Operand<TFloat32>> weight =
        (name, shape) -> {
          if (frozen) {
            return tf.constant(Shape.of(shape), DataBuffers.of(w.get(name)));
          }
          try (TFloat32 t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(w.get(name)))) {
            Variable<TFloat32> v = tf.variable(Shape.of(shape), TFloat32.class);
            Placeholder<TFloat32> p = tf.placeholder(TFloat32.class);
            Assign<TFloat32> a = tf.assign(v, p);
            s.runner().feed(p, t).addTarget(a).run().close();
            return v;
          }
        };
    Placeholder<TFloat32> x =
        tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
    List<Long> ones = List.of(1L, 1L, 1L, 1L);
    Operand<TFloat32> h =
        tf.nn.relu(
            tf.nn.biasAdd(
                tf.nn.conv2d(x, weight.apply("k1", new long[] {5, 5, 1, 32}), ones, "VALID"),
                weight.apply("b1", new long[] {32})));
    h = pool(tf, h);
    h =
        tf.nn.relu(
            tf.nn.biasAdd(
                tf.nn.conv2d(h, weight.apply("k2", new long[] {3, 3, 32, 64}), ones, "VALID"),
                weight.apply("b2", new long[] {64})));
    h = pool(tf, h);
    h = tf.reshape(h, tf.constant(new int[] {-1, 1600}));
    h =
        tf.nn.relu(
            tf.nn.biasAdd(
                tf.linalg.matMul(h, weight.apply("k3", new long[] {1600, 128})),
                weight.apply("b3", new long[] {128})));
    h =
        tf.nn.softmax(
            tf.nn.biasAdd(
                tf.linalg.matMul(h, weight.apply("k4", new long[] {128, 10})),
                weight.apply("b4", new long[] {10})));
    return new Model(g, s, x, h);
  }

  static int pools;

  static Operand<TFloat32> pool(Ops tf, Operand<TFloat32> x) {
    return tf.scope()
        .opBuilder("MaxPool", "MaxPool_" + pools++)
        .addInput(x.asOutput())
        .setAttr("ksize", new long[] {1, 2, 2, 1})
        .setAttr("strides", new long[] {1, 2, 2, 1})
        .setAttr("padding", "VALID")
        .setAttr("data_format", "NHWC")
        .build()
        .output(0);
  }

  static double time(Model m, TFloat32 in, int reps) {
    for (int i = 0; i < 50; i++) m.s.runner().feed(m.x, in).fetch(m.y).run().close();
    double[] t = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      m.s.runner().feed(m.x, in).fetch(m.y).run().close();
      t[i] = (System.nanoTime() - t0) / 1e3;
    }
    Arrays.sort(t);
    return t[reps / 2];
  }

  public static void main(String[] a) {
    Map<String, float[]> w = new HashMap<>();
    w.put("k1", rnd(800));
    w.put("b1", rnd(32));
    w.put("k2", rnd(18432));
    w.put("b2", rnd(64));
    w.put("k3", rnd(204800));
    w.put("b3", rnd(128));
    w.put("k4", rnd(1280));
    w.put("b4", rnd(10));
    try (Model vars = build(false, w);
        Model frozen = build(true, w)) {
      compare(vars, frozen);
    }
  }

  static void compare(Model vars, Model frozen) {
    for (int n : new int[] {1, 16}) {
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(n, 28, 28, 1), DataBuffers.of(rnd(n * 784)))) {
        try (Result r1 = vars.s.runner().feed(vars.x, in).fetch(vars.y).run();
            Result r2 = frozen.s.runner().feed(frozen.x, in).fetch(frozen.y).run()) {
          float[] p = new float[10 * n], q = new float[10 * n];
          ((TFloat32) r1.get(0)).asRawTensor().data().asFloats().read(p);
          ((TFloat32) r2.get(0)).asRawTensor().data().asFloats().read(q);
          double d = 0;
          for (int i = 0; i < p.length; i++) d = Math.max(d, Math.abs(p[i] - q[i]));
          System.out.println("batch " + n + " max diff " + d);
        }
        for (int r = 0; r < 4; r++) {
          System.out.printf(
              "batch %d round %d: variables p50 %.0f us, constants p50 %.0f us%n",
              n, r, time(vars, in, 1000), time(frozen, in, 1000));
        }
      }
    }
  }
}
