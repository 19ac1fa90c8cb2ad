package dev.mnistcnn.serve.grpc;

import dev.mnistcnn.serve.grpc.proto.Code;
import dev.mnistcnn.serve.grpc.proto.GetModelStatusRequest;
import dev.mnistcnn.serve.grpc.proto.GetModelStatusResponse;
import dev.mnistcnn.serve.grpc.proto.ModelServiceGrpc;
import dev.mnistcnn.serve.grpc.proto.ModelVersionStatus;
import dev.mnistcnn.serve.grpc.proto.StatusProto;
import dev.mnistcnn.serve.models.ModelSpec;
import dev.mnistcnn.serve.models.RequestMetrics;
import dev.mnistcnn.serve.models.ServedModels;
import dev.mnistcnn.serve.models.VersionStatus;
import io.grpc.stub.StreamObserver;

/**
 * {@code tensorflow.serving.ModelService}: GetModelStatus from {@link ServedModels#status};
 * HandleReloadConfigRequest UNIMPLEMENTED (grpc-java's default answer), as models are configured
 * when the server starts.
 */
final class ModelStatusApi extends ModelServiceGrpc.ModelServiceImplBase {
  private final ServedModels models;
  private final RequestMetrics metrics;

  ModelStatusApi(ServedModels models, RequestMetrics metrics) {
    this.models = models;
    this.metrics = metrics;
  }

  @Override
  public void getModelStatus(
      GetModelStatusRequest request, StreamObserver<GetModelStatusResponse> observer) {
    CallEnd<GetModelStatusResponse> end =
        new CallEnd<>(observer, metrics, "GetModelStatus", request.getModelSpec().getName());
    try {
      ModelSpec spec = Specs.requested(request.hasModelSpec(), request.getModelSpec());
      if (spec.label() != null) {
        throw PredictionApi.invalid("GetModelStatus takes a version number, not a label");
      }
      GetModelStatusResponse.Builder response = GetModelStatusResponse.newBuilder();
      for (VersionStatus v : models.status(spec.name(), spec.version())) {
        response.addModelVersionStatus(
            ModelVersionStatus.newBuilder()
                .setVersion(v.version())
                .setStateValue(v.state().number)
                .setStatus(
                    StatusProto.newBuilder()
                        .setErrorCode(Code.valueOf(v.errorCode()))
                        .setErrorMessage(v.errorMessage())));
      }
      end.answer(response.build());
    } catch (Exception e) {
      end.fail(e);
    }
  }
}
