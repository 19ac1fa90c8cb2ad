package dev.mnistcnn.bench;

import dev.mnistcnn.data.IdxArray;
import dev.mnistcnn.data.IdxReader;
import dev.mnistcnn.inference.Prediction;
import dev.mnistcnn.inference.Predictor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * In-process inference with the shipped model ({@code saved_model/}) on real MNIST test images,
 * through the public {@link Predictor} API only. Run from the repository root (paths are relative
 * to it, or set {@code -Dmnistcnn.model} / {@code -Dmnistcnn.images}).
 */
public class PredictorBenchmark {

  /** One predictor and the first 1,000 test images, shared by the benchmark threads. */
  @State(Scope.Benchmark)
  public static class Model {
    Predictor predictor;
    float[] images;

    @Setup(Level.Trial)
    public void open() throws Exception {
      predictor = Predictor.open(Path.of(System.getProperty("mnistcnn.model", "saved_model")));
      images = testImages().imagesAsFloats(0, 1000);
    }

    @TearDown(Level.Trial)
    public void close() {
      predictor.close();
    }
  }

  /** Each call classifies the next test image, so no two consecutive inputs are the same. */
  @State(Scope.Thread)
  public static class SingleImages {
    float[][] images;
    int next;

    @Setup(Level.Trial)
    public void load() throws IOException {
      IdxArray idx = testImages();
      images = new float[1000][];
      for (int i = 0; i < images.length; i++) {
        images[i] = idx.imagesAsFloats(i, 1);
      }
    }

    float[] next() {
      next = (next + 1) % images.length;
      return images[next];
    }
  }

  /** A batch of the first {@code size} test images. */
  @State(Scope.Thread)
  public static class Batch {
    @Param({"1", "8", "64", "256", "1000"})
    public int size;

    float[] images;

    @Setup(Level.Trial)
    public void slice(Model model) {
      images = java.util.Arrays.copyOf(model.images, size * Predictor.IMAGE_SIZE);
    }
  }

  static IdxArray testImages() throws IOException {
    return IdxReader.read(
        Path.of(System.getProperty("mnistcnn.images", "mnist-data/t10k-images-idx3-ubyte")));
  }

  /** Latency of one image, as a single caller (the CLI, one HTTP request) sees it. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Prediction singleImage(Model model, SingleImages in) {
    return model.predictor.predict(in.next());
  }

  /** Batches per second; multiply by the batch size for images per second. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public List<Prediction> batch(Model model, Batch batch) {
    return model.predictor.predictBatch(batch.images, batch.size);
  }
}
