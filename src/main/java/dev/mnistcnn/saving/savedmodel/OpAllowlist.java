package dev.mnistcnn.saving.savedmodel;

import java.util.Set;

/**
 * The TensorFlow op types a SavedModel of the supported layers contains, read from our own exports
 * and from Keras 3 {@code model.export()} of those layers (see {@code
 * tools/fixtures/make_test_savedmodels.py}, and {@code tools/fixtures/keras_layers.py} for every
 * layer type). Anything else (file, network, Python, queue, control flow, ...) is refused unless
 * the user trusts the file.
 */
final class OpAllowlist {
  private OpAllowlist() {}

  /** Ops that compute the forward pass or shape its tensors. */
  static final Set<String> COMPUTE =
      Set.of(
          "Conv2D",
          "BiasAdd",
          "MatMul",
          "MaxPool",
          "MaxPoolV2",
          "Relu",
          "Softmax",
          "Reshape",
          "Shape",
          "Squeeze",
          "StridedSlice",
          "Pack",
          "Fill",
          "ZerosLike",
          "Select",
          "Identity",
          "Const",
          "Placeholder",
          "PlaceholderWithDefault",
          "NoOp",
          "IdentityN",
          // Layers and activations beyond the seed CNN: element-wise math, reductions, pooling,
          // padding,
          // and the space-to-batch pair TensorFlow builds for dilated convolutions.
          "Add",
          "AddV2",
          "Sub",
          "Mul",
          "Div",
          "RealDiv",
          "Neg",
          "Rsqrt",
          "Square",
          "Sum",
          "Mean",
          "Max",
          "Maximum",
          "Minimum",
          "Erf",
          "Erfc",
          "Elu",
          "Selu",
          "Sigmoid",
          "Tanh",
          "Softplus",
          "LeakyRelu",
          "AvgPool",
          "Pad",
          "PadV2",
          "SpaceToBatchND",
          "BatchToSpaceND");

  /** Variables, TF1 ({@code VariableV2}) and resource (TF2) style. */
  static final Set<String> VARIABLES =
      Set.of(
          "VariableV2",
          "Assign",
          "VarHandleOp",
          "ReadVariableOp",
          "AssignVariableOp",
          "VarIsInitializedOp",
          "DisableCopyOnRead");

  /** Calls into the SavedModel's own function library, whose functions are checked too. */
  static final Set<String> CALLS = Set.of("PartitionedCall", "StatefulPartitionedCall");

  /** Checkpoint path handling of the saver and the restore op. */
  static final Set<String> CHECKPOINT_PATHS =
      Set.of("ShardedFilename", "StringJoin", "StaticRegexFullMatch");

  /**
   * The checkpoint saver every SavedModel carries: it writes files, so it may sit in the graph but
   * must not be reachable from a signature, the restore op or an init op.
   */
  static final Set<String> SAVER_ONLY = Set.of("SaveV2", "MergeV2Checkpoints");

  /**
   * Reads a checkpoint: the loader runs it, with the model's own {@code variables/} prefix, through
   * the restore op; a signature reaching it could read other checkpoints by path.
   */
  static final Set<String> RESTORE_ONLY = Set.of("RestoreV2");

  /** What a signature or init op must not reach. */
  static final Set<String> LOADER_ONLY = union(SAVER_ONLY, RESTORE_ONLY);

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  static boolean allowed(String op) {
    return COMPUTE.contains(op)
        || VARIABLES.contains(op)
        || CALLS.contains(op)
        || CHECKPOINT_PATHS.contains(op)
        || LOADER_ONLY.contains(op);
  }
}
