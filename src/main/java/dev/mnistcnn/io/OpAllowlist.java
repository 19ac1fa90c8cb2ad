package dev.mnistcnn.io;

import java.util.Set;

/**
 * The TensorFlow op types a SavedModel of the supported layers contains, read from our own
 * exports and from Keras 3 {@code model.export()} of those layers (see
 * {@code tools/make_test_savedmodels.py}). Anything else (file, network, Python, queue, control
 * flow, ...) is refused unless the user trusts the file.
 */
final class OpAllowlist {
  private OpAllowlist() {}

  /** Ops that compute the forward pass or shape its tensors. */
  static final Set<String> COMPUTE =
      Set.of(
          "Conv2D", "BiasAdd", "MatMul", "MaxPool", "MaxPoolV2", "Relu", "Softmax", "Reshape",
          "Shape", "Squeeze", "StridedSlice", "Pack", "Fill", "ZerosLike", "Select", "Identity",
          "Const", "Placeholder", "PlaceholderWithDefault", "NoOp");

  /** Variables, TF1 ({@code VariableV2}) and resource (TF2) style. */
  static final Set<String> VARIABLES =
      Set.of(
          "VariableV2", "Assign", "VarHandleOp", "ReadVariableOp", "AssignVariableOp",
          "VarIsInitializedOp", "DisableCopyOnRead");

  /** Calls into the SavedModel's own function library, whose functions are checked too. */
  static final Set<String> CALLS = Set.of("PartitionedCall", "StatefulPartitionedCall");

  /** Checkpoint restore, run by the loader with the model's own {@code variables/} prefix. */
  static final Set<String> RESTORE =
      Set.of("RestoreV2", "ShardedFilename", "StringJoin", "StaticRegexFullMatch");

  /**
   * The checkpoint saver every SavedModel carries: it writes files, so it may sit in the graph but
   * must not be reachable from a signature, the restore op or an init op.
   */
  static final Set<String> SAVER_ONLY = Set.of("SaveV2", "MergeV2Checkpoints");

  static boolean allowed(String op) {
    return COMPUTE.contains(op)
        || VARIABLES.contains(op)
        || CALLS.contains(op)
        || RESTORE.contains(op)
        || SAVER_ONLY.contains(op);
  }
}
