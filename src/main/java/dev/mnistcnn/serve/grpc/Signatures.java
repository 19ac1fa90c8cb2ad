package dev.mnistcnn.serve.grpc;

import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.grpc.proto.DataType;
import dev.mnistcnn.serve.grpc.proto.SignatureDef;
import dev.mnistcnn.serve.grpc.proto.SignatureDefMap;
import dev.mnistcnn.serve.grpc.proto.TensorInfo;

/**
 * A model's serving signature as GetModelMetadata reports it: the same keys, dtypes and shapes as
 * the REST metadata (-1 for the batch), without graph tensor names, which the predictor does not
 * know.
 */
final class Signatures {
  private Signatures() {}

  static SignatureDefMap of(Predictor predictor) {
    SignatureDef signature =
        SignatureDef.newBuilder()
            .putInputs(
                predictor.inputName(), floats(-1, Predictor.IMAGE_SIDE, Predictor.IMAGE_SIDE, 1))
            .putOutputs(predictor.outputName(), floats(-1, predictor.classes()))
            .setMethodName(predictor.methodName())
            .build();
    return SignatureDefMap.newBuilder()
        .putSignatureDef(predictor.signatureKey(), signature)
        .build();
  }

  private static TensorInfo floats(long... dims) {
    return TensorInfo.newBuilder()
        .setDtype(DataType.DT_FLOAT)
        .setTensorShape(TensorCodec.shape(dims))
        .build();
  }
}
