package dev.mnistcnn.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.StepStats;

/**
 * Where the time of traced training steps went, per graph node, from TensorFlow's {@code
 * RunMetadata} step statistics. Tracing itself costs time: compare ops with each other, not the
 * traced wall time with an untraced run.
 */
public final class StepProfile {
  static final RunOptions FULL_TRACE =
      RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();

  /**
   * One node's share.
   *
   * @param node the graph node, e.g. {@code gradients/Conv2DBackpropFilter}
   * @param kernel the kernel TensorFlow ran for it, e.g. {@code _MklNativeConv2DBackpropInput}
   * @param millisPerStep mean time from start to end of the node per traced step
   */
  public record NodeTime(String node, String kernel, double millisPerStep) {}

  private final int batchSize;
  private final Map<String, NodeTime> byNode = new LinkedHashMap<>();
  private int steps;
  private long wallNanos;

  StepProfile(int batchSize) {
    this.batchSize = batchSize;
  }

  void add(RunMetadata metadata) {
    steps++;
    StepStats stats = metadata.getStepStats();
    stats.getDevStatsList().forEach(d -> d.getNodeStatsList().forEach(this::add));
  }

  private void add(NodeExecStats n) {
    String kernel = kernelOf(n.getTimelineLabel());
    double ms = n.getAllEndRelMicros() / 1000.0;
    byNode.merge(
        n.getNodeName(),
        new NodeTime(n.getNodeName(), kernel, ms),
        (a, b) -> new NodeTime(a.node(), a.kernel(), a.millisPerStep() + b.millisPerStep()));
  }

  /** {@code "name = _MklNativeFusedConv2D(a, b)"} -> {@code _MklNativeFusedConv2D}. */
  static String kernelOf(String timelineLabel) {
    int eq = timelineLabel.indexOf('=');
    String rest = eq < 0 ? timelineLabel : timelineLabel.substring(eq + 1).trim();
    int paren = rest.indexOf('(');
    return paren < 0 ? rest : rest.substring(0, paren);
  }

  void setWallNanos(long nanos) {
    this.wallNanos = nanos;
  }

  public int batchSize() {
    return batchSize;
  }

  public int steps() {
    return steps;
  }

  /** Traced wall time per step, tracing overhead included. */
  public double wallMillisPerStep() {
    return steps == 0 ? 0 : wallNanos / 1e6 / steps;
  }

  /** The nodes, slowest first, each averaged over the traced steps. */
  public List<NodeTime> nodes() {
    List<NodeTime> nodes = new ArrayList<>();
    for (NodeTime t : byNode.values()) {
      nodes.add(new NodeTime(t.node(), t.kernel(), steps == 0 ? 0 : t.millisPerStep() / steps));
    }
    nodes.sort(Comparator.comparingDouble(NodeTime::millisPerStep).reversed());
    return nodes;
  }
}
