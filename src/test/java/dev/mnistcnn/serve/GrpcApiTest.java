package dev.mnistcnn.serve;

import static dev.mnistcnn.support.Grpc.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.grpc.proto.ClassificationRequest;
import dev.mnistcnn.serve.grpc.proto.Code;
import dev.mnistcnn.serve.grpc.proto.DataType;
import dev.mnistcnn.serve.grpc.proto.GetModelMetadataRequest;
import dev.mnistcnn.serve.grpc.proto.GetModelMetadataResponse;
import dev.mnistcnn.serve.grpc.proto.GetModelStatusRequest;
import dev.mnistcnn.serve.grpc.proto.GetModelStatusResponse;
import dev.mnistcnn.serve.grpc.proto.ModelServiceGrpc;
import dev.mnistcnn.serve.grpc.proto.ModelSpec;
import dev.mnistcnn.serve.grpc.proto.ModelVersionStatus;
import dev.mnistcnn.serve.grpc.proto.MultiInferenceRequest;
import dev.mnistcnn.serve.grpc.proto.PredictRequest;
import dev.mnistcnn.serve.grpc.proto.PredictResponse;
import dev.mnistcnn.serve.grpc.proto.PredictionServiceGrpc;
import dev.mnistcnn.serve.grpc.proto.RegressionRequest;
import dev.mnistcnn.serve.grpc.proto.ReloadConfigRequest;
import dev.mnistcnn.serve.grpc.proto.SignatureDef;
import dev.mnistcnn.serve.grpc.proto.SignatureDefMap;
import dev.mnistcnn.serve.grpc.proto.TensorInfo;
import dev.mnistcnn.serve.grpc.proto.TensorProto;
import dev.mnistcnn.serve.grpc.proto.TensorShapeProto;
import dev.mnistcnn.support.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * TF Serving's gRPC API of a real server with the shipped model, through grpc-java's client on
 * loopback: the same probabilities as REST, TF Serving's answers and every status code.
 */
@Tag(Tier.FAST)
class GrpcApiTest {
  private static final String MODEL = ServerConfig.DEFAULT_MODEL_NAME;
  private static final int MAX_INSTANCES = 64;

  private static ServingServer server;
  private static ManagedChannel channel;
  private static PredictionServiceGrpc.PredictionServiceBlockingStub stub;
  private static float[] images;
  private static String input;
  private static String output;

  @BeforeAll
  static void start() throws Exception {
    server =
        ServeTestSupport.startServer(
            ServerConfig.defaults()
                .withLimits(ServerConfig.DEFAULT_MAX_BODY_BYTES, MAX_INSTANCES)
                .withGrpcPort(0));
    channel = Grpc.channel(server.grpcPort());
    stub = Grpc.predictions(channel);
    images = ServeTestSupport.testImages().imagesAsFloats(0, 8);
    try (Predictor p = Predictor.open(TestData.shippedModel())) {
      input = p.inputName();
      output = p.outputName();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void predictAnswersRestsProbabilitiesBitForBitWithTheSpecThatRan() throws Exception {
    ObjectNode body = ServeTestSupport.JSON.createObjectNode();
    var instances = body.putArray("instances");
    for (int i = 0; i < 8; i++) {
      instances.add(ServeTestSupport.imageJson(images, i, 28, 28, 1));
    }
    ServeTestSupport.Reply rest =
        ServeTestSupport.postJson(server.url(), "/v1/models/" + MODEL + ":predict", body);
    assertEquals(200, rest.status(), rest.text());
    float[] expected = ServeTestSupport.floats(rest.json().get("predictions"));

    for (TensorProto tensor :
        List.of(
            Grpc.content(images, 8, 28, 28, 1),
            Grpc.floatVal(images, 8, 784),
            Grpc.content(images, 8, 28, 28))) {
      PredictResponse answer = stub.predict(Grpc.predict(MODEL, input, tensor));
      assertEquals(
          ModelSpec.newBuilder()
              .setName(MODEL)
              .setVersion(com.google.protobuf.Int64Value.of(1))
              .setSignatureName("serving_default")
              .build(),
          answer.getModelSpec());
      assertEquals(List.of(output), List.copyOf(answer.getOutputsMap().keySet()));
      TensorProto probabilities = answer.getOutputsOrThrow(output);
      assertEquals(DataType.DT_FLOAT, probabilities.getDtype());
      assertEquals(Grpc.shape(8, 10), probabilities.getTensorShape());
      assertArrayEquals(bits(expected), bits(probabilities.getFloatValList()));
    }
    PredictRequest filtered =
        Grpc.predict(MODEL, input, Grpc.content(images, 8, 784)).toBuilder()
            .addOutputFilter(output)
            .build();
    assertArrayEquals(
        bits(expected), bits(stub.predict(filtered).getOutputsOrThrow(output).getFloatValList()));
  }

  @Test
  void unknownModelsVersionsAndLabelsAreNotFound() {
    TensorProto one = Grpc.content(oneImage(), 1, 784);
    assertStatus(
        Status.Code.NOT_FOUND,
        "Servable not found for request: Latest(other)",
        () -> stub.predict(Grpc.predict("other", input, one)));
    PredictRequest version2 =
        Grpc.predict(MODEL, input, one).toBuilder().setModelSpec(Grpc.spec(MODEL, 2)).build();
    assertStatus(
        Status.Code.NOT_FOUND,
        "Servable not found for request: Specific(mnist, 2)",
        () -> stub.predict(version2));
    PredictRequest labelled =
        Grpc.predict(MODEL, input, one).toBuilder()
            .setModelSpec(ModelSpec.newBuilder().setName(MODEL).setVersionLabel("stable"))
            .build();
    assertStatus(
        Status.Code.NOT_FOUND,
        "Servable not found for request: Label(mnist, stable)",
        () -> stub.predict(labelled));
    assertStatus(
        Status.Code.NOT_FOUND,
        "Latest(other)",
        () -> stub.getModelMetadata(metadataRequest(Grpc.spec("other"), "signature_def")));
    assertStatus(
        Status.Code.NOT_FOUND,
        "Specific(mnist, 2)",
        () -> models().getModelStatus(statusRequest(Grpc.spec(MODEL, 2))));
    assertStatus(
        Status.Code.NOT_FOUND,
        "Latest(other)",
        () -> models().getModelStatus(statusRequest(Grpc.spec("other"))));
  }

  @Test
  void badInputsAreInvalidArguments() {
    float[] one = oneImage();
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "has dtype DT_DOUBLE",
        () ->
            stub.predict(
                Grpc.predict(
                    MODEL,
                    input,
                    Grpc.content(one, 1, 784).toBuilder().setDtype(DataType.DT_DOUBLE).build())));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "has shape [1, 28, 28, 3]",
        () -> stub.predict(Grpc.predict(MODEL, input, Grpc.floatVal(one, 1, 28, 28, 3))));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "has shape [784]",
        () -> stub.predict(Grpc.predict(MODEL, input, Grpc.content(one, 784))));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "tensor parsing error: " + input,
        () -> stub.predict(Grpc.predict(MODEL, input, Grpc.content(one, 2, 784))));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "Missing but required: {" + input + "}",
        () -> stub.predict(PredictRequest.newBuilder().setModelSpec(Grpc.spec(MODEL)).build()));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "input tensor alias not found in signature: pixels",
        () -> stub.predict(Grpc.predict(MODEL, "pixels", Grpc.content(one, 1, 784))));
    float[] bright = one.clone();
    bright[5] = 255;
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "outside [0, 1]",
        () -> stub.predict(Grpc.predict(MODEL, input, Grpc.content(bright, 1, 784))));
    int tooMany = MAX_INSTANCES + 1;
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        tooMany + " images; 1 to " + MAX_INSTANCES,
        () ->
            stub.predict(Grpc.predict(MODEL, input, Grpc.floatVal(new float[] {0}, tooMany, 784))));
    PredictRequest unknownOutput =
        Grpc.predict(MODEL, input, Grpc.content(one, 1, 784)).toBuilder()
            .addOutputFilter("logits")
            .build();
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "output tensor alias not found in signature: logits",
        () -> stub.predict(unknownOutput));
    PredictRequest twice =
        Grpc.predict(MODEL, input, Grpc.content(one, 1, 784)).toBuilder()
            .addOutputFilter(output)
            .addOutputFilter(output)
            .build();
    assertStatus(
        Status.Code.INVALID_ARGUMENT, "duplicate output tensor alias", () -> stub.predict(twice));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "Missing ModelSpec",
        () ->
            stub.predict(
                PredictRequest.newBuilder().putInputs(input, Grpc.content(one, 1, 784)).build()));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "must specify at least one metadata_field",
        () -> stub.getModelMetadata(metadataRequest(Grpc.spec(MODEL))));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "Metadata field graph is not supported",
        () -> stub.getModelMetadata(metadataRequest(Grpc.spec(MODEL), "graph")));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "only a predict signature ('serving_default')",
        () ->
            stub.classify(
                ClassificationRequest.newBuilder().setModelSpec(Grpc.spec(MODEL)).build()));
  }

  @Test
  void anUnknownSignatureIsAFailedPreconditionAsInTfServing() {
    PredictRequest request =
        Grpc.predict(MODEL, input, Grpc.content(oneImage(), 1, 784)).toBuilder()
            .setModelSpec(ModelSpec.newBuilder().setName(MODEL).setSignatureName("classify"))
            .build();
    assertStatus(
        Status.Code.FAILED_PRECONDITION,
        "Serving signature key \"classify\" not found.",
        () -> stub.predict(request));
  }

  @Test
  void regressMultiInferenceAndReloadAreUnimplemented() {
    assertStatus(
        Status.Code.UNIMPLEMENTED,
        "Regress",
        () -> stub.regress(RegressionRequest.newBuilder().setModelSpec(Grpc.spec(MODEL)).build()));
    assertStatus(
        Status.Code.UNIMPLEMENTED,
        "MultiInference",
        () -> stub.multiInference(MultiInferenceRequest.getDefaultInstance()));
    assertStatus(
        Status.Code.UNIMPLEMENTED,
        "HandleReloadConfigRequest",
        () -> models().handleReloadConfigRequest(ReloadConfigRequest.getDefaultInstance()));
  }

  @Test
  void metadataIsRestsSignatureInASignatureDefMap() throws Exception {
    GetModelMetadataResponse answer =
        stub.getModelMetadata(metadataRequest(Grpc.spec(MODEL), "signature_def"));
    assertEquals(
        ModelSpec.newBuilder()
            .setName(MODEL)
            .setVersion(com.google.protobuf.Int64Value.of(1))
            .build(),
        answer.getModelSpec());
    Any packed = answer.getMetadataOrThrow("signature_def");
    assertEquals("type.googleapis.com/tensorflow.serving.SignatureDefMap", packed.getTypeUrl());
    SignatureDefMap map = packed.unpack(SignatureDefMap.class);

    JsonNode rest = ServeTestSupport.get(server.url(), "/v1/models/" + MODEL + "/metadata").json();
    JsonNode restSignatures = rest.get("metadata").get("signature_def").get("signature_def");
    assertEquals(
        List.copyOf(fieldNames(restSignatures)), List.copyOf(map.getSignatureDefMap().keySet()));
    for (String key : map.getSignatureDefMap().keySet()) {
      SignatureDef signature = map.getSignatureDefOrThrow(key);
      JsonNode expected = restSignatures.get(key);
      assertEquals(expected.get("method_name").asText(), signature.getMethodName());
      assertSameTensors(expected.get("inputs"), signature.getInputsMap());
      assertSameTensors(expected.get("outputs"), signature.getOutputsMap());
    }
  }

  @Test
  void statusIsRestsStatus() throws Exception {
    JsonNode rest = ServeTestSupport.get(server.url(), "/v1/models/" + MODEL).json();
    JsonNode restVersion = rest.get("model_version_status").get(0);
    for (GetModelStatusRequest request :
        List.of(statusRequest(Grpc.spec(MODEL)), statusRequest(Grpc.spec(MODEL, 1)))) {
      GetModelStatusResponse answer = models().getModelStatus(request);
      assertEquals(rest.get("model_version_status").size(), answer.getModelVersionStatusCount());
      ModelVersionStatus version = answer.getModelVersionStatus(0);
      assertEquals(restVersion.get("version").asLong(), version.getVersion());
      assertEquals(restVersion.get("state").asText(), version.getState().name());
      assertEquals(
          restVersion.get("status").get("error_code").asText(),
          version.getStatus().getErrorCode().name());
      assertEquals(Code.OK, version.getStatus().getErrorCode());
      assertEquals("", version.getStatus().getErrorMessage());
    }
  }

  @Test
  void aMessageOverTheBodyLimitIsResourceExhausted() throws Exception {
    try (ServingServer small =
            ServeTestSupport.startServer(
                ServerConfig.defaults().withLimits(10_000, 1024).withGrpcPort(0));
        Grpc.Client client = Grpc.Client.to(small.grpcPort())) {
      float[] two = ServeTestSupport.testImages().imagesAsFloats(0, 4);
      assertStatus(
          Status.Code.RESOURCE_EXHAUSTED,
          "exceeds maximum",
          () ->
              client.predictions().predict(Grpc.predict(MODEL, input, Grpc.content(two, 4, 784))));
      // one image (3 kB) still passes
      client.predictions().predict(Grpc.predict(MODEL, input, Grpc.content(oneImage(), 1, 784)));
    }
  }

  @Test
  void aRunPastThePredictorsRunTimeoutIsDeadlineExceeded() throws Exception {
    float[] many = ServeTestSupport.testImages().imagesAsFloats(0, 200);
    Predictor predictor = Predictor.open(TestData.shippedModel());
    predictor.setRunTimeout(Duration.ofNanos(1)); // spent before the second chunk of 128 starts
    try (ServingServer slow =
            ServingServer.start(predictor, ServerConfig.defaults().withPort(0).withGrpcPort(0));
        Grpc.Client client = Grpc.Client.to(slow.grpcPort())) {
      PredictRequest request = Grpc.predict(MODEL, input, Grpc.content(many, 200, 784));
      assertStatus(
          Status.Code.DEADLINE_EXCEEDED,
          "ran out of its",
          () -> client.predictions().predict(request));
      predictor.setRunTimeout(Duration.ofSeconds(30));
      assertEquals(
          2000, client.predictions().predict(request).getOutputsOrThrow(output).getFloatValCount());
    }
  }

  @Test
  void aServerWithoutAGrpcPortHasNone() throws Exception {
    try (ServingServer rest = ServeTestSupport.startServer()) {
      assertEquals(ServerConfig.NO_GRPC, rest.grpcPort());
    }
  }

  private static ModelServiceGrpc.ModelServiceBlockingStub models() {
    return ModelServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  private static GetModelMetadataRequest metadataRequest(ModelSpec spec, String... fields) {
    return GetModelMetadataRequest.newBuilder()
        .setModelSpec(spec)
        .addAllMetadataField(List.of(fields))
        .build();
  }

  private static GetModelStatusRequest statusRequest(ModelSpec spec) {
    return GetModelStatusRequest.newBuilder().setModelSpec(spec).build();
  }

  private static float[] oneImage() {
    float[] one = new float[Predictor.IMAGE_SIZE];
    System.arraycopy(images, 0, one, 0, one.length);
    return one;
  }

  private static void assertSameTensors(JsonNode rest, java.util.Map<String, TensorInfo> grpc) {
    assertEquals(fieldNames(rest), new ArrayList<>(grpc.keySet()));
    for (String key : grpc.keySet()) {
      TensorInfo info = grpc.get(key);
      assertEquals(rest.get(key).get("dtype").asText(), info.getDtype().name());
      List<Long> restDims = new ArrayList<>();
      rest.get(key)
          .get("tensor_shape")
          .get("dim")
          .forEach(d -> restDims.add(d.get("size").asLong()));
      List<Long> dims = new ArrayList<>();
      for (TensorShapeProto.Dim d : info.getTensorShape().getDimList()) {
        dims.add(d.getSize());
      }
      assertEquals(restDims, dims);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }

  private static int[] bits(List<Float> values) {
    int[] bits = new int[values.size()];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = Float.floatToRawIntBits(values.get(i));
    }
    return bits;
  }
}
