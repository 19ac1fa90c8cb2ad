package dev.mnistcnn.train.tensorboard;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * One event-file writer per TensorBoard run ({@code logdir/train}, {@code logdir/validation}, ...),
 * all in one small graph and session of their own, apart from the training graph so that the
 * trained model never carries summary ops. Values come from Java through placeholders. Owns native
 * state: close it (that closes the writers, which flushes them).
 */
final class SummaryWriters implements AutoCloseable {
  /** Keras's file name suffix for TF2 summary files. */
  private static final String FILE_SUFFIX = ".v2";

  /** Events queued before a write to disk, and the longest wait, as tf.summary's defaults. */
  private static final int MAX_QUEUE = 10;

  private static final int FLUSH_MILLIS = 120_000;

  /** The ops of one run: each op writes the fed values through that run's writer. */
  private record Run(Op scalar, Op histogram, Op graph, Op flush, Op close) {}

  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TInt64> step;
  private final Placeholder<TString> tag;
  private final Placeholder<TFloat32> value;
  private final Placeholder<TFloat32> values;
  private final Placeholder<TString> serializedGraph;
  private final Map<String, Run> runs = new LinkedHashMap<>();

  /** Opens a writer in {@code logdir/<run>} for each of {@code runNames}. */
  SummaryWriters(Path logdir, List<String> runNames) {
    try {
      Ops tf = Ops.create(graph);
      step = tf.withName("step").placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      tag = tf.withName("tag").placeholder(TString.class, Placeholder.shape(Shape.scalar()));
      value = tf.withName("value").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      values = tf.withName("values").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      serializedGraph =
          tf.withName("graph_def").placeholder(TString.class, Placeholder.shape(Shape.scalar()));
      List<Op> creates = new java.util.ArrayList<>();
      for (String name : runNames) {
        Operand<?> writer = tf.summary.summaryWriter(SummaryWriter.sharedName(name));
        creates.add(
            tf.summary.createSummaryFileWriter(
                writer,
                tf.constant(logdir.resolve(name).toAbsolutePath().toString()),
                tf.constant(MAX_QUEUE),
                tf.constant(FLUSH_MILLIS),
                tf.constant(FILE_SUFFIX)));
        runs.put(
            name,
            new Run(
                tf.summary.writeScalarSummary(writer, step, tag, value),
                tf.summary.writeHistogramSummary(writer, step, tag, values),
                tf.summary.writeGraphSummary(writer, step, serializedGraph),
                tf.summary.flushSummaryWriter(writer),
                tf.summary.closeSummaryWriter(writer)));
      }
      // One thread each: a few tiny ops per step must not take cores from training.
      Session s =
          new Session(
              graph,
              ConfigProto.newBuilder()
                  .setIntraOpParallelismThreads(1)
                  .setInterOpParallelismThreads(1)
                  .build());
      try {
        Session.Runner init = s.runner();
        creates.forEach(init::addTarget);
        init.run().close();
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
      session = s;
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  void scalar(String run, String name, long at, double v) {
    try (TInt64 s = TInt64.scalarOf(at);
        TString t = TString.scalarOf(name);
        TFloat32 x = TFloat32.scalarOf((float) v)) {
      session
          .runner()
          .feed(step, s)
          .feed(tag, t)
          .feed(value, x)
          .addTarget(run(run).scalar)
          .run()
          .close();
    }
  }

  void histogram(String run, String name, long at, float[] data) {
    try (TInt64 s = TInt64.scalarOf(at);
        TString t = TString.scalarOf(name);
        TFloat32 x = TFloat32.vectorOf(data)) {
      session
          .runner()
          .feed(step, s)
          .feed(tag, t)
          .feed(values, x)
          .addTarget(run(run).histogram)
          .run()
          .close();
    }
  }

  /** Writes a serialized {@code GraphDef}, which TensorBoard's Graphs tab draws. */
  void graph(String run, long at, byte[] graphDef) {
    try (TInt64 s = TInt64.scalarOf(at);
        TString g = TString.tensorOfBytes(NdArrays.scalarOfObject(graphDef))) {
      session
          .runner()
          .feed(step, s)
          .feed(serializedGraph, g)
          .addTarget(run(run).graph)
          .run()
          .close();
    }
  }

  void flush() {
    Session.Runner r = session.runner();
    runs.values().forEach(run -> r.addTarget(run.flush));
    r.run().close();
  }

  private Run run(String name) {
    Run r = runs.get(name);
    if (r == null) {
      throw new IllegalArgumentException("no TensorBoard run '" + name + "'");
    }
    return r;
  }

  @Override
  public void close() {
    try {
      Session.Runner r = session.runner();
      runs.values().forEach(run -> r.addTarget(run.close));
      r.run().close();
    } finally {
      session.close();
      graph.close();
    }
  }
}
