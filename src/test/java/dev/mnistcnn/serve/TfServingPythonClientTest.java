package dev.mnistcnn.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.support.Python;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * TensorFlow Serving's official Python client (tensorflow-serving-api, tf.make_tensor_proto)
 * against a real server: {@code tools/fixtures/tf_serving_grpc_client.py} holds gRPC to REST (the
 * same probabilities bit for bit, metadata and status) and checks every status code it can cause.
 */
@Tag(Tier.PYTHON)
class TfServingPythonClientTest {
  @Test
  void theOfficialClientGetsRestsAnswersAndTfServingsCodes() throws Exception {
    TestData.mnist(); // fetches the IDX files if missing
    ServerConfig config = ServerConfig.defaults().withGrpcPort(0);
    try (ServingServer server = ServeTestSupport.startServer(config)) {
      JsonNode result =
          Python.runJson(
              Python.keras(),
              "fixtures/tf_serving_grpc_client.py",
              "--grpc",
              "127.0.0.1:" + server.grpcPort(),
              "--rest",
              server.url(),
              "--model",
              config.modelName(),
              "--idx-images",
              TestData.projectDir().resolve("mnist-data/t10k-images-idx3-ubyte").toAbsolutePath(),
              "--max-instances",
              config.maxInstances(),
              "--max-body-bytes",
              config.maxBodyBytes());
      assertTrue(result.get("bit_equal").asBoolean(), result.toString());
      List<String> codes = new ArrayList<>();
      result.get("codes").forEach(c -> codes.add(c.asText()));
      assertEquals(
          List.of(
              "DEADLINE_EXCEEDED",
              "FAILED_PRECONDITION",
              "INVALID_ARGUMENT",
              "NOT_FOUND",
              "RESOURCE_EXHAUSTED",
              "UNIMPLEMENTED"),
          codes);
    }
  }
}
