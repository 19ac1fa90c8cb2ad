package dev.mnistcnn.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.data.Split;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.saving.provenance.EpochMetrics;
import dev.mnistcnn.train.Trainer;
import dev.mnistcnn.train.TrainingConfig;
import dev.mnistcnn.train.TrainingListener;
import dev.mnistcnn.train.TrainingListeners;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.HistogramProto;
import org.tensorflow.proto.Summary;

/**
 * Real training steps on real MNIST through the listener; the event files are read back here as
 * TFRecords of {@code Event} protos (TensorBoard's own reader checks them in
 * tools/tests/test_tensorboard.py). Every value must be the one the loop reported.
 */
@Tag(Tier.TRAINING)
class TensorBoardListenerTest {
  private static final int EPOCHS = 2;
  private static final int STEPS = 4;

  @TempDir Path logdir;

  /** The values the training loop hands to its listeners. */
  private static final class Recorder implements TrainingListener {
    final List<Float> runningLosses = new ArrayList<>();
    final List<EpochMetrics> epochs = new ArrayList<>();

    @Override
    public void onStepEnd(int step, int steps, double runningLoss, double runningAccuracy) {
      runningLosses.add((float) runningLoss);
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics) {
      epochs.add(metrics);
    }
  }

  @Test
  void everyScalarHistogramAndTheGraphIsWhatTheLoopReported() throws IOException {
    Files.writeString(logdir.resolve("notes.txt"), "mine");
    TrainingConfig config =
        TrainingConfig.seedRecipe().withEpochs(EPOCHS).withBatchSize(100).withLimit(STEPS * 100);
    Split validation = TestData.mnist().test().head(500);
    Recorder recorder = new Recorder();
    ModelWeights trained;
    byte[] graphDef;
    try (Trainer trainer = new Trainer(ModelSpec.seedCnn().initialWeights(7), config);
        TensorBoardListener board =
            new TensorBoardListener(logdir, trainer::weights, trainer.graphDef())) {
      graphDef = trainer.graphDef();
      trainer.fit(TestData.mnist().train(), validation, TrainingListeners.of(recorder, board));
      trained = trainer.weights();
    }

    List<Event> train = events(logdir.resolve(TensorBoardListener.TRAIN));
    assertEquals("brain.Event:2", train.get(0).getFileVersion());
    List<Float> expectedLosses = recorder.runningLosses;
    assertEquals(EPOCHS * STEPS, expectedLosses.size());
    Map<Long, Float> batchLoss = scalars(train, "batch_loss");
    assertEquals(expectedLosses, List.copyOf(batchLoss.values()));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), List.copyOf(batchLoss.keySet()));
    Map<Long, Float> epochLoss = scalars(train, "epoch_loss");
    Map<Long, Float> valAccuracy =
        scalars(events(logdir.resolve(TensorBoardListener.VALIDATION)), "epoch_accuracy");
    for (EpochMetrics m : recorder.epochs) {
      long step = m.epoch() - 1L; // Keras counts epochs from 0
      assertEquals((float) m.loss(), epochLoss.get(step));
      assertEquals((float) m.valAccuracy(), valAccuracy.get(step));
    }

    for (Map.Entry<String, float[]> w : trained.values().entrySet()) {
      List<HistogramProto> histograms = histograms(train, w.getKey());
      assertEquals(EPOCHS, histograms.size(), w.getKey());
      HistogramProto last = histograms.get(EPOCHS - 1);
      assertEquals(w.getValue().length, (long) last.getNum(), w.getKey());
      assertEquals(min(w.getValue()), last.getMin(), 0.0, w.getKey());
      assertEquals(max(w.getValue()), last.getMax(), 0.0, w.getKey());
    }

    List<Event> graphs = train.stream().filter(Event::hasGraphDef).toList();
    assertEquals(1, graphs.size());
    // Compared parsed: protobuf does not fix the byte order of map fields (node attributes).
    GraphDef written = GraphDef.parseFrom(graphs.get(0).getGraphDef());
    assertEquals(GraphDef.parseFrom(graphDef), written);
    assertTrue(written.getNodeList().stream().anyMatch(n -> n.getOp().equals("Conv2D")));
    assertEquals("mine", Files.readString(logdir.resolve("notes.txt")));
  }

  /** All events of the one event file in {@code run}. */
  private static List<Event> events(Path run) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(run)) {
      files = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList();
    }
    assertEquals(1, files.size(), files.toString());
    List<Event> events = new ArrayList<>();
    try (InputStream in = Files.newInputStream(files.get(0));
        DataInputStream data = new DataInputStream(in)) {
      while (true) {
        byte[] header = new byte[12]; // uint64 length, masked CRC of the length
        try {
          data.readFully(header);
        } catch (EOFException end) {
          break;
        }
        long length = ByteBuffer.wrap(header, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] record = new byte[Math.toIntExact(length)];
        data.readFully(record);
        data.readFully(new byte[4]); // masked CRC of the data
        events.add(Event.parseFrom(record));
      }
    }
    return events;
  }

  private static Map<Long, Float> scalars(List<Event> events, String tag) {
    Map<Long, Float> byStep = new LinkedHashMap<>();
    for (Event e : events) {
      for (Summary.Value v : e.getSummary().getValueList()) {
        if (v.getTag().equals(tag)) {
          byStep.put(e.getStep(), scalarOf(v));
        }
      }
    }
    return byStep;
  }

  /** TF writes scalars as a float tensor with the scalars plugin, or as a simple value. */
  private static float scalarOf(Summary.Value v) {
    if (v.hasSimpleValue()) {
      return v.getSimpleValue();
    }
    assertEquals(1, v.getTensor().getFloatValCount(), v.toString());
    return v.getTensor().getFloatVal(0);
  }

  private static List<HistogramProto> histograms(List<Event> events, String tag) {
    List<HistogramProto> found = new ArrayList<>();
    for (Event e : events) {
      for (Summary.Value v : e.getSummary().getValueList()) {
        if (v.getTag().equals(tag)) {
          found.add(v.getHisto());
        }
      }
    }
    return found;
  }

  private static double min(float[] values) {
    float m = Float.POSITIVE_INFINITY;
    for (float v : values) {
      m = Math.min(m, v);
    }
    return m;
  }

  private static double max(float[] values) {
    float m = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      m = Math.max(m, v);
    }
    return m;
  }
}
