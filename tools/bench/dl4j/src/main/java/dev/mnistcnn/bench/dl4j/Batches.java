package dev.mnistcnn.bench.dl4j;

import dev.mnistcnn.bench.IdxImages;
import java.util.Random;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Mini-batches as ND4J arrays: pixels / 255 in the network's layout, one-hot labels. */
final class Batches {
  record Score(double loss, double accuracy) {}

  private static final int EVAL_BATCH = 1000;
  private final CNN2DFormat format;
  private final int batchSize;

  Batches(CNN2DFormat format, int batchSize) {
    this.format = format;
    this.batchSize = batchSize;
  }

  /** A permutation of 0..n-1 (Fisher-Yates), as Keras shuffles each epoch. */
  static int[] shuffled(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  DataSet of(IdxImages data, int[] order, int from) {
    int size = Math.min(batchSize, data.count() - from);
    float[] pixels = new float[size * IdxImages.IMAGE_SIZE];
    float[] oneHot = new float[size * 10];
    for (int i = 0; i < size; i++) {
      int index = order == null ? from + i : order[from + i];
      copyPixels(data, index, pixels, i);
      oneHot[i * 10 + data.labels()[index]] = 1f;
    }
    return new DataSet(features(pixels, size), Nd4j.create(oneHot, new long[] {size, 10}));
  }

  /** Test-set loss (cross-entropy) and accuracy, inference mode. */
  Score evaluate(MultiLayerNetwork net, IdxImages test) {
    double loss = 0;
    long correct = 0;
    for (int from = 0; from < test.count(); from += EVAL_BATCH) {
      int size = Math.min(EVAL_BATCH, test.count() - from);
      float[] pixels = new float[size * IdxImages.IMAGE_SIZE];
      for (int i = 0; i < size; i++) {
        copyPixels(test, from + i, pixels, i);
      }
      float[][] p = net.output(features(pixels, size), false).toFloatMatrix();
      for (int i = 0; i < size; i++) {
        int label = test.labels()[from + i];
        int best = 0;
        for (int k = 1; k < 10; k++) {
          best = p[i][k] > p[i][best] ? k : best;
        }
        correct += best == label ? 1 : 0;
        loss -= Math.log(Math.max(p[i][label], 1e-7));
      }
    }
    return new Score(loss / test.count(), (double) correct / test.count());
  }

  private static void copyPixels(IdxImages data, int index, float[] pixels, int row) {
    int src = index * IdxImages.IMAGE_SIZE;
    int dst = row * IdxImages.IMAGE_SIZE;
    for (int k = 0; k < IdxImages.IMAGE_SIZE; k++) {
      pixels[dst + k] = (data.pixels()[src + k] & 0xff) / 255f;
    }
  }

  /** One channel: NCHW [n,1,28,28] and NHWC [n,28,28,1] hold the same bytes in the same order. */
  private INDArray features(float[] pixels, int size) {
    long[] shape =
        format == CNN2DFormat.NCHW ? new long[] {size, 1, 28, 28} : new long[] {size, 28, 28, 1};
    return Nd4j.create(pixels, shape, 'c');
  }
}
