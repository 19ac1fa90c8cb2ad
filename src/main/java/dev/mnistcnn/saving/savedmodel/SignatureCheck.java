package dev.mnistcnn.saving.savedmodel;

import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A signature only declares its tensors; TensorFlow runs whatever the graph computes. Checks each
 * declared tensor against its node as the file states it: the node exists and has that output, the
 * dtype the op's attributes give it, and the shape in the node's {@code _output_shapes} (when the
 * writer recorded them). What the file does not state is checked after loading, against
 * TensorFlow's shape inference and a first run ({@code inference.ImageSignature}, {@code
 * inference.Predictor}).
 */
final class SignatureCheck {
  /** Ops whose {@code dtype} attribute is not the type of their output (a handle or a ref). */
  private static final Set<String> HANDLE_OPS = Set.of("VarHandleOp", "VariableV2");

  private SignatureCheck() {}

  /** Null when {@code sig} matches the graph's {@code nodes}, else what does not (a refusal). */
  static String mismatch(SignatureDef sig, Map<String, NodeDef> nodes) {
    for (var e : sig.getInputsMap().entrySet()) {
      String m = mismatch("input", e.getKey(), e.getValue(), nodes);
      if (m != null) {
        return m;
      }
    }
    for (var e : sig.getOutputsMap().entrySet()) {
      String m = mismatch("output", e.getKey(), e.getValue(), nodes);
      if (m != null) {
        return m;
      }
    }
    return null;
  }

  private static String mismatch(
      String kind, String key, TensorInfo info, Map<String, NodeDef> nodes) {
    String name = info.getName();
    if (name.isEmpty()) {
      return null; // composite tensors name none; TensorFlow refuses what it cannot map
    }
    String what = kind + " '" + key + "' (" + name + ")";
    NodeDef node = nodes.get(SavedModelGuard.nodeName(name));
    if (node == null || name.startsWith("^")) {
      return "names " + what + ", which is no tensor of the graph";
    }
    int index = outputIndex(name);
    if (index < 0) {
      return "names " + what + " with a malformed output index";
    }
    DataType actual = outputType(node, index);
    if (actual != null && actual != info.getDtype()) {
      return "declares " + what + " as " + info.getDtype() + " but the graph computes " + actual;
    }
    AttrValue shapes = node.getAttrMap().get("_output_shapes");
    if (shapes != null && index < shapes.getList().getShapeCount()) {
      TensorShapeProto graphShape = shapes.getList().getShape(index);
      if (!compatible(info.getTensorShape(), graphShape)) {
        return "declares "
            + what
            + " as "
            + describe(info.getTensorShape())
            + " but the graph gives it "
            + describe(graphShape);
      }
    }
    return null;
  }

  /** {@code node:2} is output 2, {@code node} output 0; -1 when the suffix is no index. */
  private static int outputIndex(String tensor) {
    int colon = tensor.lastIndexOf(':');
    if (colon < 0) {
      return 0;
    }
    try {
      return Integer.parseInt(tensor.substring(colon + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The dtype of output {@code index} as the node's attributes fix it; null where they do not. */
  private static DataType outputType(NodeDef node, int index) {
    Map<String, AttrValue> attrs = node.getAttrMap();
    AttrValue tout = attrs.get("Tout");
    if (tout != null && tout.hasList()) {
      int n = tout.getList().getTypeCount();
      return index < n ? tout.getList().getType(index) : DataType.DT_INVALID;
    }
    if (index > 0) {
      return null;
    }
    for (String attr : new String[] {"out_type", "dtype", "T"}) {
      AttrValue v = attrs.get(attr);
      if (v != null && v.getValueCase() == AttrValue.ValueCase.TYPE) {
        return attr.equals("dtype") && HANDLE_OPS.contains(node.getOp()) ? null : v.getType();
      }
    }
    return null;
  }

  /** Same rank and equal sizes where both are known (-1: any). */
  private static boolean compatible(TensorShapeProto declared, TensorShapeProto graph) {
    if (declared.getUnknownRank() || graph.getUnknownRank()) {
      return true;
    }
    if (declared.getDimCount() != graph.getDimCount()) {
      return false;
    }
    for (int i = 0; i < declared.getDimCount(); i++) {
      long a = declared.getDim(i).getSize();
      long b = graph.getDim(i).getSize();
      if (a >= 0 && b >= 0 && a != b) {
        return false;
      }
    }
    return true;
  }

  static String describe(TensorShapeProto shape) {
    if (shape.getUnknownRank()) {
      return "unknown shape";
    }
    return shape.getDimList().stream().map(d -> Long.toString(d.getSize())).toList().toString();
  }
}
