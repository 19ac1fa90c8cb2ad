package dev.mnistcnn.bench.dl4j;

import dev.mnistcnn.bench.IdxImages;
import dev.mnistcnn.bench.SeedRecipe;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Mini-batches as ND4J arrays: pixels / 255 in the network's layout, one-hot labels. */
final class Batches {
  private static final int EVAL_BATCH = 1000;
  private final CNN2DFormat format;

  Batches(CNN2DFormat format) {
    this.format = format;
  }

  /** Images {@code order[from..from+size)} with their labels. */
  DataSet of(IdxImages data, int[] order, int from, int size) {
    float[] pixels = new float[size * IdxImages.IMAGE_SIZE];
    float[] oneHot = new float[size * 10];
    for (int i = 0; i < size; i++) {
      int index = order == null ? from + i : order[from + i];
      data.copyScaled(index, pixels, i);
      oneHot[i * 10 + data.labels()[index]] = 1f;
    }
    return new DataSet(features(pixels, size), Nd4j.create(oneHot, new long[] {size, 10}));
  }

  /** Test-set loss (cross-entropy) and accuracy, inference mode. */
  SeedRecipe.Score evaluate(MultiLayerNetwork net, IdxImages test) {
    double loss = 0;
    long correct = 0;
    for (int from = 0; from < test.count(); from += EVAL_BATCH) {
      int size = Math.min(EVAL_BATCH, test.count() - from);
      float[] pixels = new float[size * IdxImages.IMAGE_SIZE];
      for (int i = 0; i < size; i++) {
        test.copyScaled(from + i, pixels, i);
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
    return new SeedRecipe.Score(loss / test.count(), (double) correct / test.count());
  }

  /** One channel: NCHW [n,1,28,28] and NHWC [n,28,28,1] hold the same bytes in the same order. */
  private INDArray features(float[] pixels, int size) {
    long[] shape =
        format == CNN2DFormat.NCHW ? new long[] {size, 1, 28, 28} : new long[] {size, 28, 28, 1};
    return Nd4j.create(pixels, shape, 'c');
  }
}
