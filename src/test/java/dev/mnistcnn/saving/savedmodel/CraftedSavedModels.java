package dev.mnistcnn.saving.savedmodel;

import dev.mnistcnn.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.apache.commons.io.FileUtils;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Hostile SavedModels made of allowlisted ops only: copies of the shipped model whose {@code
 * saved_model.pb} is edited with TensorFlow's protobuf classes (its variables and provenance kept).
 */
public final class CraftedSavedModels {
  private static final String OUTPUT = "output_0";

  private CraftedSavedModels() {}

  /** {@code n} {@code Identity} nodes in a row between the softmax and the signature's output. */
  public static Path identityChain(Path dir, int n) throws IOException {
    return edit(
        dir,
        meta -> {
          String previous = outputTensor(meta);
          for (int i = 0; i < n; i++) {
            String name = "chain_" + i;
            meta.getGraphDefBuilder()
                .addNode(
                    NodeDef.newBuilder()
                        .setName(name)
                        .setOp("Identity")
                        .addInput(previous)
                        .putAttr("T", type(DataType.DT_FLOAT)));
            previous = name + ":0";
          }
          setOutput(meta, previous, null, null);
          return meta;
        });
  }

  /** The output goes through a library function that calls itself through PartitionedCall. */
  public static Path selfCallingFunction(Path dir) throws IOException {
    return edit(
        dir,
        meta -> {
          NameAttrList loop = NameAttrList.newBuilder().setName("loop").build();
          AttrValue floats =
              AttrValue.newBuilder()
                  .setList(AttrValue.ListValue.newBuilder().addType(DataType.DT_FLOAT))
                  .build();
          FunctionDef f =
              FunctionDef.newBuilder()
                  .setSignature(
                      OpDef.newBuilder()
                          .setName("loop")
                          .addInputArg(
                              OpDef.ArgDef.newBuilder().setName("x").setType(DataType.DT_FLOAT))
                          .addOutputArg(
                              OpDef.ArgDef.newBuilder().setName("y").setType(DataType.DT_FLOAT)))
                  .addNodeDef(
                      NodeDef.newBuilder()
                          .setName("again")
                          .setOp("PartitionedCall")
                          .addInput("x")
                          .putAttr("f", AttrValue.newBuilder().setFunc(loop).build())
                          .putAttr("Tin", floats)
                          .putAttr("Tout", floats))
                  .putRet("y", "again:output:0")
                  .build();
          meta.getGraphDefBuilder().getLibraryBuilder().addFunction(f);
          meta.getGraphDefBuilder()
              .addNode(
                  NodeDef.newBuilder()
                      .setName("call_loop")
                      .setOp("PartitionedCall")
                      .addInput(outputTensor(meta))
                      .putAttr("f", AttrValue.newBuilder().setFunc(loop).build())
                      .putAttr("Tin", floats)
                      .putAttr("Tout", floats));
          setOutput(meta, "call_loop:0", null, null);
          return meta;
        });
  }

  /** Only the signature's declared output shape changed. */
  public static Path outputShape(Path dir, long... dims) throws IOException {
    return edit(dir, meta -> setOutput(meta, outputTensor(meta), null, dims));
  }

  /** Only the signature's declared output dtype changed. */
  public static Path outputType(Path dir, DataType type) throws IOException {
    return edit(dir, meta -> setOutput(meta, outputTensor(meta), type, null));
  }

  /**
   * The signature's output, still declared {@code [-1, 10]} float, is a constant {@code [10]}: the
   * same "probabilities" for every image.
   */
  public static Path constantOutput(Path dir) throws IOException {
    return edit(
        dir,
        meta -> {
          TensorProto.Builder value =
              TensorProto.newBuilder()
                  .setDtype(DataType.DT_FLOAT)
                  .setTensorShape(TensorShapeProto.newBuilder().addDim(dim(10)));
          for (int i = 0; i < 10; i++) {
            value.addFloatVal(0.1f);
          }
          meta.getGraphDefBuilder()
              .addNode(
                  NodeDef.newBuilder()
                      .setName("same_for_all")
                      .setOp("Const")
                      .putAttr("dtype", type(DataType.DT_FLOAT))
                      .putAttr("value", AttrValue.newBuilder().setTensor(value).build()));
          setOutput(meta, "same_for_all:0", null, null);
          return meta;
        });
  }

  private static Path edit(Path dir, UnaryOperator<MetaGraphDef.Builder> change)
      throws IOException {
    FileUtils.copyDirectory(TestData.shippedModel().toFile(), dir.toFile());
    Path pb = dir.resolve("saved_model.pb");
    SavedModel.Builder model = SavedModel.parseFrom(Files.readAllBytes(pb)).toBuilder();
    model.setMetaGraphs(0, change.apply(model.getMetaGraphsBuilder(0)).build());
    Files.write(pb, model.build().toByteArray());
    return dir;
  }

  private static String outputTensor(MetaGraphDef.Builder meta) {
    return meta.getSignatureDefOrThrow("serving_default").getOutputsOrThrow(OUTPUT).getName();
  }

  private static MetaGraphDef.Builder setOutput(
      MetaGraphDef.Builder meta, String tensor, DataType type, long[] dims) {
    SignatureDef sig = meta.getSignatureDefOrThrow("serving_default");
    TensorInfo.Builder info = sig.getOutputsOrThrow(OUTPUT).toBuilder().setName(tensor);
    if (type != null) {
      info.setDtype(type);
    }
    if (dims != null) {
      TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
      for (long d : dims) {
        shape.addDim(dim(d));
      }
      info.setTensorShape(shape);
    }
    meta.putSignatureDef(
        "serving_default", sig.toBuilder().putOutputs(OUTPUT, info.build()).build());
    return meta;
  }

  private static TensorShapeProto.Dim dim(long size) {
    return TensorShapeProto.Dim.newBuilder().setSize(size).build();
  }

  private static AttrValue type(DataType t) {
    return AttrValue.newBuilder().setType(t).build();
  }
}
