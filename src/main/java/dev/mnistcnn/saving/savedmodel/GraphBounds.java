package dev.mnistcnn.saving.savedmodel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Bounds on a graph's shape that TensorFlow's native code does not check: it walks node inputs and
 * function calls recursively (graph import, shape inference, grappler, the executor), so a long
 * chain of even harmless ops or a function that calls itself overflows the native stack and kills
 * the JVM without a message. Everything here is iterative, so a hostile graph cannot overflow the
 * Java stack either.
 */
final class GraphBounds {
  /**
   * Nodes in the graph and all its functions together. Our SavedModels hold about 60, a Keras
   * {@code model.export()} of the seed CNN a few hundred; 100x that is still no model's need.
   */
  static final int MAX_NODES = 50_000;

  /**
   * Longest chain of nodes from any input to any output, counting the nodes of called functions.
   * Ours is about 20 deep, a Keras export about 40; 6,000 {@code Identity} nodes in a row crashed
   * the JVM (exit 139) while a 1 MB Java thread stack ran the model.
   */
  static final int MAX_DEPTH = 1_000;

  private GraphBounds() {}

  /** Returns null when {@code graph} is within bounds, else why not (for a refusal). */
  static String violation(GraphDef graph) {
    Map<String, FunctionDef> functions = new HashMap<>();
    long nodes = graph.getNodeCount();
    for (FunctionDef f : graph.getLibrary().getFunctionList()) {
      functions.put(f.getSignature().getName(), f);
      nodes += f.getNodeDefCount();
    }
    if (nodes > MAX_NODES) {
      return "it has " + nodes + " nodes (graph and functions), more than " + MAX_NODES;
    }
    Map<String, Integer> functionDepths = new HashMap<>();
    for (String f : callOrder(functions)) {
      if (f.startsWith("cycle:")) {
        return "function '" + f.substring(6) + "' calls itself (directly or through others)";
      }
      int depth = depth(functions.get(f).getNodeDefList(), functionDepths);
      if (depth < 0) {
        return "the nodes of function '" + f + "' feed each other in a cycle";
      }
      functionDepths.put(f, depth);
    }
    int depth = depth(graph.getNodeList(), functionDepths);
    if (depth < 0) {
      return "its graph's nodes feed each other in a cycle";
    }
    for (int d : functionDepths.values()) {
      depth = Math.max(depth, d);
    }
    if (depth > MAX_DEPTH) {
      return "its graph is " + depth + " nodes deep, more than " + MAX_DEPTH;
    }
    return null;
  }

  /**
   * The functions ordered so that each comes after every function it calls (calls to functions
   * missing from the library are left to TensorFlow, which refuses them); a cycle gives one entry
   * {@code cycle:NAME} in place of the order.
   */
  private static List<String> callOrder(Map<String, FunctionDef> functions) {
    Map<String, Integer> state = new HashMap<>(); // absent: unseen, 1: on the path, 2: done
    List<String> order = new ArrayList<>();
    for (String root : functions.keySet()) {
      if (state.containsKey(root)) {
        continue;
      }
      Deque<String> path = new ArrayDeque<>();
      Deque<Deque<String>> pending = new ArrayDeque<>();
      path.push(root);
      pending.push(new ArrayDeque<>(callees(functions.get(root))));
      state.put(root, 1);
      while (!path.isEmpty()) {
        String next = pending.peek().poll();
        if (next == null) {
          state.put(path.peek(), 2);
          order.add(path.pop());
          pending.pop();
        } else if (state.get(next) == null && functions.containsKey(next)) {
          state.put(next, 1);
          path.push(next);
          pending.push(new ArrayDeque<>(callees(functions.get(next))));
        } else if (Integer.valueOf(1).equals(state.get(next))) {
          return List.of("cycle:" + next);
        }
      }
    }
    return order;
  }

  private static List<String> callees(FunctionDef f) {
    List<String> out = new ArrayList<>();
    for (NodeDef n : f.getNodeDefList()) {
      out.addAll(SavedModelGuard.calledFunctions(n));
    }
    return out;
  }

  /**
   * Longest chain through {@code nodes} (data and control inputs), a call counting as the depth of
   * the function it calls; -1 when the inputs form a cycle. Inputs naming no node (function
   * arguments, missing nodes) start a chain.
   */
  private static int depth(List<NodeDef> nodes, Map<String, Integer> functionDepths) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      index.put(nodes.get(i).getName(), i);
    }
    int[] waiting = new int[nodes.size()];
    List<List<Integer>> consumers = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      consumers.add(new ArrayList<>());
    }
    for (int i = 0; i < nodes.size(); i++) {
      for (String input : nodes.get(i).getInputList()) {
        Integer from = index.get(SavedModelGuard.nodeName(input));
        if (from != null) {
          waiting[i]++;
          consumers.get(from).add(i);
        }
      }
    }
    int[] depth = new int[nodes.size()];
    Deque<Integer> ready = new ArrayDeque<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (waiting[i] == 0) {
        ready.add(i);
      }
    }
    int done = 0;
    int deepest = 0;
    while (!ready.isEmpty()) {
      int i = ready.poll();
      done++;
      int own = 1;
      for (String f : SavedModelGuard.calledFunctions(nodes.get(i))) {
        own = Math.max(own, 1 + functionDepths.getOrDefault(f, 0));
      }
      depth[i] += own;
      deepest = Math.max(deepest, depth[i]);
      for (int c : consumers.get(i)) {
        depth[c] = Math.max(depth[c], depth[i]);
        if (--waiting[c] == 0) {
          ready.add(c);
        }
      }
    }
    return done == nodes.size() ? deepest : -1;
  }
}
