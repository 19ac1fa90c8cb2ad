// The seed CNN's convolutions alone, as TensorFlow builds them (oneDNN's kernels) against other
// formulations of the same maths, timed in TF Java 1.1.0: the levers docs/training.md reports as
// measured and dropped. A single-file program, run with the product jar's dependencies:
//
//   TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=1 java -cp 'target/lib/*' \
//       tools/bench/ConvLevers.java [--rounds 6] [--reps 20] [--batch 200] [--only PREFIX]
//
// conv2 (3x3, 32 -> 64 channels on 12x12): forward, weight and input gradients through
// tf.gradients, against im2col (slices + concat) and MatMuls, the input gradient through col2im
// (pads + a sum). conv1 (5x5, 1 -> 32 on 28x28, then 2x2 max pooling): forward and weight
// gradients, against space-to-depth (a 3x3 convolution with 4 input and 128 output channels whose
// kernel is built in the graph from the 5x5 one, the pooling over the four output groups). Both
// weight gradients: with the bias gradient (which oneDNN fuses into the weight gradient's kernel)
// and without it (the bias summed apart), and as a forward convolution with images and channels
// swapped, and in two halves of the batch (two ops, summed).
// conv2 and its 2x2 max pooling through Winograd's F(2x2, 3x3) (16 instead of 36 multiplies per
// output block and channel pair; the products as one batched MatMul; the input transform as
// strided slices or as a convolution, the output transform as a MatMul; the pooling the max over
// each tile's four outputs). --only PREFIX times only the formulations whose name starts so.
// Prints each formulation's largest difference from TensorFlow's, then fastest and median
// milliseconds per run over alternating rounds. Inputs live in variables: each run is the ops
// alone.
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

public final class ConvLevers {
  private static final List<Long> ONES = List.of(1L, 1L, 1L, 1L);

  private final Ops tf;
  private final Session session;
  private final Random random = new Random(1);
  private final Map<String, List<Operand<?>>> variants = new LinkedHashMap<>();
  private int built; // unique names for ops built by hand

  private ConvLevers(Ops tf, Session session) {
    this.tf = tf;
    this.session = session;
  }

  public static void main(String[] args) {
    int rounds = 6;
    int reps = 20;
    int batch = 200;
    String only = "";
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--rounds" -> rounds = Integer.parseInt(args[++i]);
          case "--reps" -> reps = Integer.parseInt(args[++i]);
          case "--batch" -> batch = Integer.parseInt(args[++i]);
          case "--only" -> only = args[++i];
          default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
        }
      }
      if (rounds < 1 || reps < 1 || batch < 1) {
        throw new IllegalArgumentException("--rounds, --reps and --batch must be positive");
      }
    } catch (RuntimeException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
    ConfigProto config =
        ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(Runtime.getRuntime().availableProcessors())
            .setInterOpParallelismThreads(2)
            .build();
    try (Graph g = new Graph();
        Session s = new Session(g, config)) {
      ConvLevers bench = new ConvLevers(Ops.create(g), s);
      bench.conv2(batch);
      bench.conv1(batch);
      bench.weightGradientsAsForward(batch);
      bench.winograd(batch);
      bench.time(rounds, reps, only);
    }
  }

  /** The second convolution: TensorFlow's kernels against im2col and MatMuls. */
  private void conv2(int n) {
    Variable<TFloat32> x = variable(false, n, 12, 12, 32);
    Variable<TFloat32> w = variable(false, 3, 3, 32, 64);
    Variable<TFloat32> b = variable(false, 64);
    Variable<TFloat32> dy = variable(false, n, 10, 10, 64);
    Operand<TFloat32> y = tf.nn.biasAdd(tf.nn.conv2d(x, w, ONES, "VALID"), b);
    Gradients grads = tf.gradients(sum(tf.math.mul(y, dy)), List.of(x, w, b));
    variants.put("conv2 forward", List.of(y));
    variants.put("conv2 weight+bias gradients", List.of(grads.dy(1), grads.dy(2)));
    variants.put("conv2 input gradient", List.of(grads.dy(0)));
    variants.put("conv2 all gradients", List.of(grads.dy(0), grads.dy(1), grads.dy(2)));

    List<Operand<TFloat32>> slices = new ArrayList<>();
    for (int kh = 0; kh < 3; kh++) {
      for (int kw = 0; kw < 3; kw++) {
        slices.add(tf.slice(x, ints(0, kh, kw, 0), ints(-1, 10, 10, -1)));
      }
    }
    Operand<TFloat32> patches = tf.reshape(tf.concat(slices, tf.constant(3)), ints(n * 100, 288));
    Operand<TFloat32> dy2 = tf.reshape(dy, ints(n * 100, 64));
    Operand<TFloat32> w2 = tf.reshape(w, ints(288, 64));
    Operand<TFloat32> yMatMul =
        tf.nn.biasAdd(tf.reshape(tf.linalg.matMul(patches, w2), ints(n, 10, 10, 64)), b);
    Operand<TFloat32> dwMatMul =
        tf.reshape(tf.linalg.matMul(patches, dy2, MatMul.transposeA(true)), ints(3, 3, 32, 64));
    Operand<TFloat32> dPatches =
        tf.reshape(tf.linalg.matMul(dy2, w2, MatMul.transposeB(true)), ints(n, 10, 10, 288));
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (int kh = 0; kh < 3; kh++) {
      for (int kw = 0; kw < 3; kw++) {
        Operand<TFloat32> part =
            tf.slice(dPatches, ints(0, 0, 0, (kh * 3 + kw) * 32), ints(-1, -1, -1, 32));
        int[][] padding = {{0, 0}, {kh, 2 - kh}, {kw, 2 - kw}, {0, 0}};
        parts.add(tf.pad(part, tf.constant(padding), tf.constant(0f)));
      }
    }
    Operand<TFloat32> dxCol2im = tf.math.addN(parts);
    variants.put("conv2 im2col patches alone", List.of(patches));
    variants.put("conv2 forward, im2col + MatMul", List.of(yMatMul));
    variants.put(
        "conv2 weight+bias gradients, MatMul",
        List.of(dwMatMul, tf.reduceSum(dy2, tf.constant(0))));
    variants.put("conv2 input gradient, MatMul + col2im", List.of(dxCol2im));
    compare("conv2 forward, im2col + MatMul", y, yMatMul);
    compare("conv2 weight gradient, MatMul", grads.dy(1), dwMatMul);
    compare("conv2 input gradient, MatMul + col2im", grads.dy(0), dxCol2im);
  }

  /** The first convolution and its pooling: TensorFlow's kernels against space-to-depth. */
  private void conv1(int n) {
    Variable<TFloat32> x = variable(true, n, 28, 28, 1);
    Variable<TFloat32> w = variable(false, 5, 5, 1, 32);
    Variable<TFloat32> b = variable(false, 32);
    Variable<TFloat32> dp = variable(false, n, 12, 12, 32);
    Operand<TFloat32> pooled = maxPool(tf.nn.biasAdd(tf.nn.conv2d(x, w, ONES, "VALID"), b), 2, 2);
    Gradients grads = tf.gradients(sum(tf.math.mul(pooled, dp)), List.of(w, b));
    variants.put("conv1+pool forward", List.of(pooled));
    variants.put("conv1+pool forward and gradients", List.of(pooled, grads.dy(0), grads.dy(1)));

    // Pixel (2Y+a, 2X+c) goes to channel 2a+c of block (Y, X); output (2Y+u, 2X+v) to channel
    // group 2u+v. Kernel: K[i][j][2a+c][(2u+v)*32+o] = W[2i+a-u][2j+c-v][0][o], zero outside 5x5.
    Operand<TFloat32> blocks = tf.nn.spaceToDepth(x, 2L);
    float[] select = new float[144 * 25];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        for (int a = 0; a < 2; a++) {
          for (int c = 0; c < 2; c++) {
            for (int u = 0; u < 2; u++) {
              for (int v = 0; v < 2; v++) {
                int kh = 2 * i + a - u;
                int kw = 2 * j + c - v;
                if (kh >= 0 && kh < 5 && kw >= 0 && kw < 5) {
                  int row = ((i * 3 + j) * 4 + a * 2 + c) * 4 + u * 2 + v;
                  select[row * 25 + kh * 5 + kw] = 1f;
                }
              }
            }
          }
        }
      }
    }
    Operand<TFloat32> kernel =
        tf.reshape(
            tf.linalg.matMul(
                tf.constant(Shape.of(144, 25), DataBuffers.of(select)),
                tf.reshape(w, ints(25, 32))),
            ints(3, 3, 4, 128));
    Operand<TFloat32> groups = tf.nn.conv2d(blocks, kernel, ONES, "VALID");
    // Max over the four groups: a pooling window over them, each image position a row of its own.
    Operand<TFloat32> pooledS2d =
        tf.nn.biasAdd(
            tf.reshape(
                maxPool(tf.reshape(groups, ints(n * 144, 4, 1, 32)), 4, 1), ints(n, 12, 12, 32)),
            b);
    Gradients s2d = tf.gradients(sum(tf.math.mul(pooledS2d, dp)), List.of(w, b));
    variants.put("conv1+pool forward, space-to-depth", List.of(pooledS2d));
    variants.put(
        "conv1+pool forward and gradients, space-to-depth",
        List.of(pooledS2d, s2d.dy(0), s2d.dy(1)));
    compare("conv1+pool forward, space-to-depth", pooled, pooledS2d);
    compare("conv1 weight gradient, space-to-depth", grads.dy(0), s2d.dy(0));
  }

  /**
   * Both weight gradients as forward convolutions with the batch as channels: dW[kh][kw][c][o] =
   * sum over images and positions of x[n][y+kh][x+kw][c] * dy[n][y][x][o], which is a VALID
   * convolution of x with images and channels swapped ([c, H, W, n]) by a kernel of dy's spatial
   * size ([h, w, n, o]). oneDNN's weight-gradient kernel for one input channel is its slowest.
   */
  private void weightGradientsAsForward(int n) {
    weightGradientAsForward("conv1", n, 28, 1, 24, 32);
    weightGradientAsForward("conv2", n, 12, 32, 10, 64);
  }

  private void weightGradientAsForward(
      String name, int n, int size, int channels, int outSize, int filters) {
    Variable<TFloat32> x = variable(true, n, size, size, channels);
    int k = size - outSize + 1;
    Variable<TFloat32> w = variable(false, k, k, channels, filters);
    Variable<TFloat32> dy = variable(false, n, outSize, outSize, filters);
    Operand<TFloat32> y = tf.nn.conv2d(x, w, ONES, "VALID");
    Operand<TFloat32> dw = tf.gradients(sum(tf.math.mul(y, dy)), List.of(w)).dy(0);
    Operand<TFloat32> xT = tf.linalg.transpose(x, ints(3, 1, 2, 0));
    Operand<TFloat32> dyT = tf.linalg.transpose(dy, ints(1, 2, 0, 3));
    Operand<TFloat32> dwForward =
        tf.linalg.transpose(tf.nn.conv2d(xT, dyT, ONES, "VALID"), ints(1, 2, 0, 3));
    variants.put(name + " weight gradient", List.of(dw));
    Variable<TFloat32> b = variable(false, filters);
    Gradients withBias = tf.gradients(sum(tf.math.mul(tf.nn.biasAdd(y, b), dy)), List.of(w, b));
    variants.put(name + " weight+bias gradients", List.of(withBias.dy(0), withBias.dy(1)));
    variants.put(
        name + " weight gradient + bias as a sum", List.of(dw, tf.reduceSum(dy, ints(0, 1, 2))));
    variants.put(name + " weight gradient, forward conv", List.of(dwForward));
    // In two halves of the batch, each its own op (one per inter-op thread), summed.
    List<Operand<TFloat32>> halves = new ArrayList<>();
    for (int h = 0; h < 2; h++) {
      Operand<TFloat32> xh = tf.slice(x, ints(h * n / 2, 0, 0, 0), ints(n / 2, -1, -1, -1));
      Operand<TFloat32> dyh = tf.slice(dy, ints(h * n / 2, 0, 0, 0), ints(n / 2, -1, -1, -1));
      halves.add(
          tf.gradients(sum(tf.math.mul(tf.nn.conv2d(xh, w, ONES, "VALID"), dyh)), List.of(w))
              .dy(0));
    }
    Operand<TFloat32> dwHalves = tf.math.add(halves.get(0), halves.get(1));
    variants.put(name + " weight gradient, two halves", List.of(dwHalves));
    compare(name + " weight gradient, two halves", dw, dwHalves);
    variants.put(name + " weight gradient, transposes alone", List.of(xT, dyT));
    compare(name + " weight gradient, forward conv", dw, dwForward);
  }

  /**
   * The second convolution and its pooling through Winograd's F(2x2, 3x3): each 2x2 block of
   * outputs (the pooling's window) from a 4x4 tile of inputs with 16 instead of 36 multiplies per
   * channel pair, the 16 products as one batched MatMul ([16, tiles, 32] x [16, 32, 64]). Input
   * transform B'dB as strided slices and adds (rows, then columns), kernel transform GgG' and
   * output transform A'mA as MatMuls by constant Kronecker products; the pooling is the max over
   * each tile's four outputs.
   */
  private void winograd(int n) {
    Variable<TFloat32> x = variable(false, n, 12, 12, 32);
    Variable<TFloat32> w = variable(false, 3, 3, 32, 64);
    Variable<TFloat32> dp = variable(false, n, 5, 5, 64);
    Operand<TFloat32> direct = maxPool(tf.nn.conv2d(x, w, ONES, "VALID"), 2, 2);
    Gradients directGrads = tf.gradients(sum(tf.math.mul(direct, dp)), List.of(x, w));
    variants.put("conv2+pool forward", List.of(direct));
    variants.put(
        "conv2+pool forward and gradients", List.of(direct, directGrads.dy(0), directGrads.dy(1)));

    // B'dB: rows k, k+2, .., k+8 of every tile row (axis 1), then the same on columns (axis 3).
    Operand<TFloat32> rows = inputTransform(x, 1, 0); // [4, n, 5, 12, 32]
    Operand<TFloat32> tiles = inputTransform(rows, 3, 1); // [4, 4, n, 5, 5, 32]
    Operand<TFloat32> v = tf.reshape(tiles, ints(16, n * 25, 32));
    float[][] g = {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}};
    Operand<TFloat32> u =
        tf.reshape(
            tf.linalg.matMul(tf.constant(kron(g, g)), tf.reshape(w, ints(9, 32 * 64))),
            ints(16, 32, 64));
    Operand<TFloat32> m = batchMatMul(v, u); // [16, n * 25, 64]
    float[][] a = {{1, 1, 1, 0}, {0, 1, -1, -1}};
    Operand<TFloat32> y =
        tf.linalg.matMul(tf.constant(kron(a, a)), tf.reshape(m, ints(16, n * 25 * 64)));
    Operand<TFloat32> pooled =
        tf.reshape(tf.max(tf.reshape(y, ints(4, n * 25 * 64)), ints(0)), ints(n, 5, 5, 64));
    Gradients grads = tf.gradients(sum(tf.math.mul(pooled, dp)), List.of(x, w));
    variants.put("conv2+pool forward, Winograd", List.of(pooled));
    variants.put(
        "conv2+pool forward and gradients, Winograd", List.of(pooled, grads.dy(0), grads.dy(1)));
    variants.put("conv2 Winograd input transform alone", List.of(v));
    // The same transform as one convolution: each channel an image of its own, 16 filters B'.B.
    float[][] bt = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
    float[][] btbt = kron(bt, bt); // [output i*4+j][tile position r*4+c]
    float[][][][] filter = new float[4][4][1][16];
    for (int out = 0; out < 16; out++) {
      for (int pos = 0; pos < 16; pos++) {
        filter[pos / 4][pos % 4][0][out] = btbt[out][pos];
      }
    }
    Operand<TFloat32> perChannel =
        tf.reshape(tf.linalg.transpose(x, ints(0, 3, 1, 2)), ints(n * 32, 12, 12, 1));
    Operand<TFloat32> transformed =
        tf.nn.conv2d(perChannel, tf.constant(filter), List.of(1L, 2L, 2L, 1L), "VALID");
    Operand<TFloat32> vConv =
        tf.reshape(
            tf.linalg.transpose(tf.reshape(transformed, ints(n, 32, 25, 16)), ints(3, 0, 2, 1)),
            ints(16, n * 25, 32));
    variants.put("conv2 Winograd input transform as a conv", List.of(vConv));
    compare("conv2 Winograd input transform as a conv", v, vConv);
    Variable<TFloat32> mAlone = variable(false, 16, n * 25, 64);
    variants.put(
        "conv2 Winograd output transform alone",
        List.of(
            tf.linalg.matMul(tf.constant(kron(a, a)), tf.reshape(mAlone, ints(16, n * 25 * 64)))));
    Variable<TFloat32> vAlone = variable(false, 16, n * 25, 32);
    Variable<TFloat32> uAlone = variable(false, 16, 32, 64);
    variants.put("conv2 Winograd batched MatMul alone", List.of(batchMatMul(vAlone, uAlone)));
    compare("conv2+pool forward, Winograd", direct, pooled);
    compare("conv2 input gradient, Winograd", directGrads.dy(0), grads.dy(0));
    compare("conv2 weight gradient, Winograd", directGrads.dy(1), grads.dy(1));
  }

  /**
   * B' (rows 1 0 -1 0 / 0 1 1 0 / 0 -1 1 0 / 0 1 0 -1) applied along {@code axis} to tiles of 4 at
   * stride 2 (5 tiles of 12), the four results stacked on {@code stackAxis}.
   */
  private Operand<TFloat32> inputTransform(Operand<TFloat32> x, int axis, int stackAxis) {
    List<Operand<TFloat32>> e = new ArrayList<>();
    int rank = axis + 2;
    for (int k = 0; k < 4; k++) {
      int[] begin = new int[rank];
      int[] end = new int[rank];
      int[] strides = new int[rank];
      Arrays.fill(strides, 1);
      begin[axis] = k;
      end[axis] = k + 9;
      strides[axis] = 2;
      int beginMask = 0;
      int endMask = 0;
      for (int d = 0; d < rank; d++) {
        if (d != axis) {
          beginMask |= 1 << d;
          endMask |= 1 << d;
        }
      }
      e.add(
          tf.stridedSlice(
              x,
              tf.constant(begin),
              tf.constant(end),
              tf.constant(strides),
              StridedSlice.beginMask((long) beginMask),
              StridedSlice.endMask((long) endMask)));
    }
    List<Operand<TFloat32>> parts =
        List.of(
            tf.math.sub(e.get(0), e.get(2)),
            tf.math.add(e.get(1), e.get(2)),
            tf.math.sub(e.get(2), e.get(1)),
            tf.math.sub(e.get(1), e.get(3)));
    return tf.stack(parts, Stack.axis((long) stackAxis));
  }

  /** BatchMatMulV2, whose gradient TF Java's C API has (tf.train.batchMatMul builds V3). */
  private Operand<TFloat32> batchMatMul(Operand<TFloat32> x, Operand<TFloat32> y) {
    return tf.scope()
        .opBuilder("BatchMatMulV2", "BatchMatMulV2_" + built++)
        .addInput(x.asOutput())
        .addInput(y.asOutput())
        .build()
        .output(0);
  }

  private static float[][] kron(float[][] p, float[][] q) {
    float[][] k = new float[p.length * q.length][p[0].length * q[0].length];
    for (int i = 0; i < p.length; i++) {
      for (int j = 0; j < q.length; j++) {
        for (int r = 0; r < p[0].length; r++) {
          for (int c = 0; c < q[0].length; c++) {
            k[i * q.length + j][r * q[0].length + c] = p[i][r] * q[j][c];
          }
        }
      }
    }
    return k;
  }

  private void time(int rounds, int reps, String only) {
    Map<String, List<Double>> millis = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, List<Operand<?>>> e : variants.entrySet()) {
        if (!e.getKey().startsWith(only)) {
          continue;
        }
        run(e.getValue()); // warm-up
        long start = System.nanoTime();
        for (int i = 0; i < reps; i++) {
          run(e.getValue());
        }
        millis
            .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
            .add((System.nanoTime() - start) / 1e6 / reps);
      }
    }
    System.out.printf(Locale.ROOT, "%-52s %9s %9s%n", "ms per run", "fastest", "median");
    for (Map.Entry<String, List<Double>> e : millis.entrySet()) {
      List<Double> v = new ArrayList<>(e.getValue());
      Collections.sort(v);
      System.out.printf(
          Locale.ROOT, "%-52s %9.2f %9.2f%n", e.getKey(), v.get(0), v.get(v.size() / 2));
    }
  }

  private void run(List<Operand<?>> fetches) {
    Session.Runner runner = session.runner();
    fetches.forEach(runner::fetch);
    try (Result r = runner.run()) {
      // fetched and closed
    }
  }

  private void compare(String name, Operand<TFloat32> expected, Operand<TFloat32> actual) {
    try (Result r = session.runner().fetch(expected).fetch(actual).run()) {
      float[] a = floats((TFloat32) r.get(0));
      float[] b = floats((TFloat32) r.get(1));
      double diff = 0;
      double scale = 0;
      for (int i = 0; i < a.length; i++) {
        diff = Math.max(diff, Math.abs(a[i] - b[i]));
        scale = Math.max(scale, Math.abs(a[i]));
      }
      System.out.printf(Locale.ROOT, "%-52s max difference %.2g of %.3g%n", name, diff, scale);
    }
  }

  private static float[] floats(TFloat32 t) {
    float[] v = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(v);
    return v;
  }

  /** A variable holding random values (uniform in [0, 1) for pixels, else gaussian * 0.1). */
  private Variable<TFloat32> variable(boolean pixels, long... shape) {
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    float[] values = new float[(int) count];
    for (int i = 0; i < values.length; i++) {
      values[i] = pixels ? random.nextFloat() : (float) random.nextGaussian() * 0.1f;
    }
    Variable<TFloat32> v = tf.variable(Shape.of(shape), TFloat32.class);
    Placeholder<TFloat32> p = tf.placeholder(TFloat32.class);
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values))) {
      session.runner().feed(p, t).addTarget(tf.assign(v, p)).run();
    }
    return v;
  }

  /** The attribute-based MaxPool, as Keras builds it (tf.nn.maxPool builds MaxPoolV2). */
  private Operand<TFloat32> maxPool(Operand<TFloat32> x, int height, int width) {
    return tf.scope()
        .opBuilder("MaxPool", "MaxPool_" + built++)
        .addInput(x.asOutput())
        .setAttr("ksize", new long[] {1, height, width, 1})
        .setAttr("strides", new long[] {1, height, width, 1})
        .setAttr("padding", "VALID")
        .setAttr("data_format", "NHWC")
        .build()
        .output(0);
  }

  private Operand<TFloat32> sum(Operand<TFloat32> x) {
    return tf.reduceSum(x, ints(0, 1, 2, 3));
  }

  private Operand<org.tensorflow.types.TInt32> ints(int... values) {
    return tf.constant(values);
  }
}
