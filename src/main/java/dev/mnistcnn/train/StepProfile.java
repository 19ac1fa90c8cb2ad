package dev.mnistcnn.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.StepStats;

/**
 * Where the time of traced training steps went, per graph node, from TensorFlow's {@code
 * RunMetadata} step statistics. Tracing itself costs time: compare ops with each other, not the
 * traced wall time with an untraced run.
 *
 * <p>Ops run side by side (two inter-op threads share the intra-op pool), so a node's start-to-end
 * time overstates what it costs the step: two gradients that overlap each show the whole stretch.
 * Each node's <em>share</em> splits every stretch of the step evenly among the nodes running in it;
 * the shares add up to the step's busy time, and what the step spends with no op running is idle.
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
   * @param shareMillisPerStep mean share of the step's busy time (see the class comment)
   */
  public record NodeTime(
      String node, String kernel, double millisPerStep, double shareMillisPerStep) {}

  private final int batchSize;
  private final Map<String, NodeTime> byNode = new LinkedHashMap<>();
  private int steps;
  private long wallNanos;
  private long untracedWallNanos;
  private double busyMillis;
  private double spanMillis;

  StepProfile(int batchSize) {
    this.batchSize = batchSize;
  }

  void add(RunMetadata metadata) {
    steps++;
    List<NodeExecStats> nodes = new ArrayList<>();
    StepStats stats = metadata.getStepStats();
    stats.getDevStatsList().forEach(d -> nodes.addAll(d.getNodeStatsList()));
    double[] shares = shareMillis(nodes);
    for (int i = 0; i < nodes.size(); i++) {
      NodeExecStats n = nodes.get(i);
      byNode.merge(
          n.getNodeName(),
          new NodeTime(
              n.getNodeName(),
              kernelOf(n.getTimelineLabel()),
              n.getAllEndRelMicros() / 1000.0,
              shares[i]),
          (a, b) ->
              new NodeTime(
                  a.node(),
                  a.kernel(),
                  a.millisPerStep() + b.millisPerStep(),
                  a.shareMillisPerStep() + b.shareMillisPerStep()));
    }
  }

  /**
   * Each node's share of the step: a sweep over start and end times that splits every stretch
   * evenly among the nodes running in it. Adds the step's busy time and span to the totals.
   */
  private double[] shareMillis(List<NodeExecStats> nodes) {
    int n = nodes.size();
    double[] shares = new double[n];
    if (n == 0) {
      return shares;
    }
    // Events {time, 1 for a start or 0 for an end, node}: ends sort before starts at equal times.
    // A node that took no time (a constant) runs in no stretch and has none.
    List<long[]> events = new ArrayList<>();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      long start = nodes.get(i).getAllStartMicros();
      long end = start + Math.max(0, nodes.get(i).getAllEndRelMicros());
      if (end > start) {
        events.add(new long[] {start, 1, i});
        events.add(new long[] {end, 0, i});
      }
      first = Math.min(first, start);
      last = Math.max(last, end);
    }
    events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    Set<Integer> running = new LinkedHashSet<>();
    long previous = first;
    double busy = 0;
    for (long[] e : events) {
      long stretch = e[0] - previous;
      if (stretch > 0 && !running.isEmpty()) {
        double each = stretch / 1000.0 / running.size();
        for (int i : running) {
          shares[i] += each;
        }
        busy += stretch / 1000.0;
      }
      previous = e[0];
      if (e[1] == 1) {
        running.add((int) e[2]);
      } else {
        running.remove((int) e[2]);
      }
    }
    busyMillis += busy;
    spanMillis += (last - first) / 1000.0;
    return shares;
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

  void setUntracedWallNanos(long nanos) {
    this.untracedWallNanos = nanos;
  }

  /** Wall time per step of as many steps run without tracing, just before the traced ones. */
  public double untracedWallMillisPerStep() {
    return steps == 0 ? 0 : untracedWallNanos / 1e6 / steps;
  }

  /** Traced wall time per step, tracing overhead included. */
  public double wallMillisPerStep() {
    return steps == 0 ? 0 : wallNanos / 1e6 / steps;
  }

  /** Time per step with at least one op running, as TensorFlow traced it. */
  public double busyMillisPerStep() {
    return steps == 0 ? 0 : busyMillis / steps;
  }

  /** Time per step from the first op's start to the last op's end, as TensorFlow traced it. */
  public double spanMillisPerStep() {
    return steps == 0 ? 0 : spanMillis / steps;
  }

  /** The nodes, largest share first, each averaged over the traced steps. */
  public List<NodeTime> nodes() {
    List<NodeTime> nodes = new ArrayList<>();
    for (NodeTime t : byNode.values()) {
      nodes.add(
          new NodeTime(
              t.node(),
              t.kernel(),
              steps == 0 ? 0 : t.millisPerStep() / steps,
              steps == 0 ? 0 : t.shareMillisPerStep() / steps));
    }
    nodes.sort(Comparator.comparingDouble(NodeTime::shareMillisPerStep).reversed());
    return nodes;
  }
}
