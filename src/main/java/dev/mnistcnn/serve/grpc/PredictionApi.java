package dev.mnistcnn.serve.grpc;

import com.google.protobuf.Any;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.grpc.proto.ClassificationRequest;
import dev.mnistcnn.serve.grpc.proto.ClassificationResponse;
import dev.mnistcnn.serve.grpc.proto.GetModelMetadataRequest;
import dev.mnistcnn.serve.grpc.proto.GetModelMetadataResponse;
import dev.mnistcnn.serve.grpc.proto.PredictRequest;
import dev.mnistcnn.serve.grpc.proto.PredictResponse;
import dev.mnistcnn.serve.grpc.proto.PredictionServiceGrpc;
import dev.mnistcnn.serve.grpc.proto.TensorProto;
import dev.mnistcnn.serve.models.Lease;
import dev.mnistcnn.serve.models.RequestMetrics;
import dev.mnistcnn.serve.models.ServedModels;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;

/**
 * {@code tensorflow.serving.PredictionService}: Predict and GetModelMetadata as TF Serving answers
 * them; Classify refused with INVALID_ARGUMENT (the models have a predict signature only), Regress
 * and MultiInference UNIMPLEMENTED (grpc-java's default answer).
 */
final class PredictionApi extends PredictionServiceGrpc.PredictionServiceImplBase {
  /** TF Serving's only metadata field. */
  static final String SIGNATURE_DEF = "signature_def";

  private final ServedModels models;
  private final TensorCodec codec;
  private final RequestMetrics metrics;

  PredictionApi(ServedModels models, int maxInstances, RequestMetrics metrics) {
    this.models = models;
    this.codec = new TensorCodec(maxInstances);
    this.metrics = metrics;
  }

  @Override
  public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
    CallEnd<PredictResponse> end =
        new CallEnd<>(observer, metrics, "Predict", request.getModelSpec().getName());
    try {
      end.checkDeadline();
      Lease lease = models.acquire(Specs.requested(request.hasModelSpec(), request.getModelSpec()));
      CompletionStage<float[]> run;
      PredictResponse.Builder response;
      int count;
      boolean running = false;
      try {
        Predictor predictor = lease.predictor();
        String signature = signature(predictor, request.getModelSpec().getSignatureName());
        checkOutputFilter(predictor, request);
        TensorCodec.Images images = codec.decode(checkInputs(predictor, request), input(request));
        count = images.count();
        response =
            PredictResponse.newBuilder()
                .setModelSpec(Specs.answered(lease.name(), lease.version(), signature));
        run = lease.inference().probabilities(images.values(), count);
        running = true;
      } finally {
        if (!running) {
          lease.close(); // refused before the run; otherwise closed when the run completes
        }
      }
      String output = lease.predictor().outputName();
      run.whenComplete(
          (probabilities, failure) -> {
            try {
              lease.close();
            } finally {
              if (failure != null) {
                end.fail(failure);
              } else {
                end.answer(
                    response
                        .putOutputs(output, TensorCodec.probabilities(probabilities, count))
                        .build());
              }
            }
          });
    } catch (Exception | OutOfMemoryError e) {
      end.fail(e);
    }
  }

  @Override
  public void getModelMetadata(
      GetModelMetadataRequest request, StreamObserver<GetModelMetadataResponse> observer) {
    CallEnd<GetModelMetadataResponse> end =
        new CallEnd<>(observer, metrics, "GetModelMetadata", request.getModelSpec().getName());
    try {
      var spec = Specs.requested(request.hasModelSpec(), request.getModelSpec());
      if (request.getMetadataFieldCount() == 0) {
        throw invalid("GetModelMetadataRequest must specify at least one metadata_field");
      }
      for (String field : request.getMetadataFieldList()) {
        if (!field.equals(SIGNATURE_DEF)) {
          throw invalid("Metadata field " + field + " is not supported");
        }
      }
      try (Lease lease = models.acquire(spec)) {
        end.answer(
            GetModelMetadataResponse.newBuilder()
                .setModelSpec(Specs.answered(lease.name(), lease.version(), null))
                .putMetadata(SIGNATURE_DEF, Any.pack(Signatures.of(lease.predictor())))
                .build());
      }
    } catch (Exception e) {
      end.fail(e);
    }
  }

  /** Refused as the REST API refuses {@code :classify}: the model has no classify signature. */
  @Override
  public void classify(
      ClassificationRequest request, StreamObserver<ClassificationResponse> observer) {
    CallEnd<ClassificationResponse> end =
        new CallEnd<>(observer, metrics, "Classify", request.getModelSpec().getName());
    try (Lease lease =
        models.acquire(Specs.requested(request.hasModelSpec(), request.getModelSpec()))) {
      throw invalid(
          "the model has only a predict signature ('"
              + lease.predictor().signatureKey()
              + "'): use Predict");
    } catch (Exception e) {
      end.fail(e);
    }
  }

  /** The signature that runs: the model's for an empty name, as TF Serving's serving_default. */
  private static String signature(Predictor predictor, String requested) throws StatusException {
    if (requested.isEmpty() || requested.equals(predictor.signatureKey())) {
      return predictor.signatureKey();
    }
    // TF Serving's code and wording (predict_util.cc)
    throw Status.FAILED_PRECONDITION
        .withDescription("Serving signature key \"" + requested + "\" not found.")
        .asException();
  }

  /** The one input's alias, checked as TF Serving's PreProcessPrediction does. */
  private static String checkInputs(Predictor predictor, PredictRequest request)
      throws StatusException {
    String expected = predictor.inputName();
    Map<String, TensorProto> inputs = request.getInputsMap();
    if (inputs.size() != 1) {
      TreeSet<String> extra = new TreeSet<>(inputs.keySet());
      extra.remove(expected);
      throw invalid(
          "input size does not match signature: "
              + inputs.size()
              + "!=1 len({"
              + String.join(",", new TreeSet<>(inputs.keySet()))
              + "}) != len({"
              + expected
              + "}). Sent extra: {"
              + String.join(",", extra)
              + "}. Missing but required: {"
              + (inputs.containsKey(expected) ? "" : expected)
              + "}.");
    }
    if (!inputs.containsKey(expected)) {
      throw invalid(
          "input tensor alias not found in signature: "
              + inputs.keySet().iterator().next()
              + ". Inputs expected to be in the set {"
              + expected
              + "}.");
    }
    return expected;
  }

  private static TensorProto input(PredictRequest request) {
    return request.getInputsMap().values().iterator().next();
  }

  /** Every alias must be an output, once; the model has one, so the answer is the same. */
  private static void checkOutputFilter(Predictor predictor, PredictRequest request)
      throws StatusException {
    boolean seen = false;
    for (String alias : request.getOutputFilterList()) {
      if (!alias.equals(predictor.outputName())) {
        throw invalid(
            "output tensor alias not found in signature: "
                + alias
                + " Outputs expected to be in the set {"
                + predictor.outputName()
                + "}.");
      }
      if (seen) {
        throw invalid("duplicate output tensor alias: " + alias);
      }
      seen = true;
    }
  }

  static StatusException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asException();
  }
}
