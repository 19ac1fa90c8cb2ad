package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import dev.mnistcnn.serve.grpc.proto.GetModelMetadataRequest;
import dev.mnistcnn.serve.grpc.proto.PredictResponse;
import dev.mnistcnn.support.Cli;
import dev.mnistcnn.support.Grpc;
import dev.mnistcnn.support.ModelVersions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code model-server}: TF Serving's flags as TF Serving spells them, its errors one line each. */
@Tag(Tier.FAST)
class ModelServerCommandTest {
  @TempDir Path tmp;

  @Test
  void helpNamesTfServingsFlags() {
    String help = Cli.run("model-server", "--help").out();
    for (String flag :
        List.of(
            "--port",
            "--rest_api_port",
            "--model_name",
            "--model_base_path",
            "--model_config_file",
            "--enable_batching",
            "--batching_parameters_file",
            "--file_system_poll_wait_seconds",
            "--allow_version_labels_for_unavailable_models")) {
      assertTrue(help.contains(flag), flag + " in: " + help);
    }
    assertTrue(Cli.run("--help").out().contains("model-server"));
  }

  @Test
  void aTfServingFlagNotImplementedIsNamedOnOneLine() {
    for (String[] args :
        new String[][] {
          {"--model_base_path=/m", "--tensorflow_session_parallelism=4"},
          {"--tensorflow_session_parallelism", "4", "--model_base_path", "/m"},
          {"--model_base_path=/m", "--enable_model_warmup"}
        }) {
      String[] command = new String[args.length + 1];
      command[0] = "model-server";
      System.arraycopy(args, 0, command, 1, args.length);
      Cli.Run r = Cli.run(command);
      assertEquals(2, r.code(), r.err());
      String flag = args[0].startsWith("--model") ? args[1] : args[0];
      assertEquals(
          "model-server: unsupported TF Serving flag " + flag.replaceFirst("=.*", ""),
          r.err().strip(),
          "one line");
      assertEquals("", r.out());
    }
  }

  @Test
  void badInputsAreOneLineErrors() throws Exception {
    Cli.run("model-server").assertOneLineError("give --model_base_path");
    Path config = Files.writeString(tmp.resolve("models.config"), "model_config_list { config {");
    Cli.run("model-server", "--model_config_file=" + config)
        .assertOneLineError("model config file " + config + ": ");
    Cli.run("model-server", "--model_config_file", config.toString(), "--model_base_path=/m")
        .assertOneLineError("not both");
    Path batching = Files.writeString(tmp.resolve("batching.config"), "max_batch_size: 8");
    Cli.run("model-server", "--model_base_path=/m", "--batching_parameters_file=" + batching)
        .assertOneLineError("only with --enable_batching");
    Cli.run(
            "model-server",
            "--model_base_path=/m",
            "--enable_batching",
            "--batching_parameters_file=" + batching)
        .assertOneLineError("batching parameters file " + batching + ": ");
    Cli.run("model-server", "--model_base_path=/m", "--file_system_poll_wait_seconds=-1")
        .assertOneLineError("--file_system_poll_wait_seconds must be 0 or more");

    Path base = tmp.resolve("mnist");
    ModelVersions.deploy(base, 1, ModelVersions.plain());
    Files.writeString(
        config,
        "model_config_list { config { name: 'mnist' base_path: '"
            + base
            + "' version_labels { key: 'stable' value: 2 } } }");
    Cli.run("model-server", "--model_config_file=" + config, "--rest_api_port=0")
        .assertOneLineError(
            "Request to assign label to version 2 of model mnist, which is not currently"
                + " available for inference");
  }

  /**
   * The real program in its own JVM, with TF Serving's --flag=value spelling: new versions load.
   */
  @Test
  void servesTheNewestVersionAndLoadsNewOnes() throws Exception {
    Path base = tmp.resolve("mnist");
    ModelVersions.deploy(base, 1, ModelVersions.plain());
    Path batching =
        Files.writeString(
            tmp.resolve("batching.config"),
            """
            max_batch_size { value: 16 }
            batch_timeout_micros { value: 0 }
            allowed_batch_sizes: 4
            allowed_batch_sizes: 16
            """);
    ProcessBuilder pb =
        Jvm.program(
            false,
            "model-server",
            "--port=0",
            "--rest_api_port=0",
            "--host=127.0.0.1",
            "--model_name=mnist",
            "--model_base_path=" + base,
            "--file_system_poll_wait_seconds=1",
            "--enable_batching=true",
            "--batching_parameters_file=" + batching);
    pb.redirectError(tmp.resolve("stderr.txt").toFile());
    Process server = pb.start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
      String first = out.readLine();
      Matcher m =
          Pattern.compile(
                  "^Serving mnist on (http://127\\.0\\.0\\.1:\\d+) \\(REST\\) and"
                      + " 127\\.0\\.0\\.1:(\\d+) \\(gRPC\\)$")
              .matcher(String.valueOf(first));
      assertTrue(m.find(), "first line: " + first + "\n" + stderr());
      int grpcPort = Integer.parseInt(m.group(2));
      assertEquals("  mnist  versions 1", out.readLine());
      URI status = URI.create(m.group(1) + "/v1/models/mnist");
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      assertTrue(get(client, status).contains("\"version\":\"1\",\"state\":\"AVAILABLE\""));
      assertEquals(1, grpcPredictVersion(grpcPort), "gRPC: the same server, the same version");

      ModelVersions.deploy(base, 2, ModelVersions.augmented());
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3); // a failure bound only
      while (!get(client, status).contains("\"version\":\"2\",\"state\":\"AVAILABLE\"")) {
        assertTrue(System.nanoTime() < deadline, "version 2 never loaded: " + stderr());
        Thread.sleep(100);
      }
      assertEquals(2, grpcPredictVersion(grpcPort), "gRPC: the new version");
      server.destroy(); // SIGTERM, like Ctrl-C: the shutdown hook stops the server
      assertTrue(server.waitFor(60, TimeUnit.SECONDS), "stopped");
      assertEquals(143, server.exitValue(), "the exit status of a SIGTERM'd JVM");
    } finally {
      server.destroyForcibly();
    }
    assertFalse(stderr().contains("Exception"), stderr());
  }

  /** The version that answers a gRPC Predict of one image for the newest version of mnist. */
  private static long grpcPredictVersion(int port) {
    float[] image = new float[784];
    try (Grpc.Client client = Grpc.Client.to(port)) {
      String input =
          client
              .predictions()
              .getModelMetadata(
                  GetModelMetadataRequest.newBuilder()
                      .setModelSpec(Grpc.spec("mnist"))
                      .addMetadataField("signature_def")
                      .build())
              .getModelSpec()
              .getName();
      assertEquals("mnist", input);
      PredictResponse answer =
          client
              .predictions()
              .predict(Grpc.predict("mnist", "input_layer", Grpc.content(image, 1, 784)));
      // One image's answer, though its run was padded to an allowed batch size of 4.
      assertEquals(
          List.of(1L, 10L),
          answer.getOutputsMap().values().iterator().next().getTensorShape().getDimList().stream()
              .map(d -> d.getSize())
              .toList());
      return answer.getModelSpec().getVersion().getValue();
    }
  }

  private static String get(HttpClient client, URI uri) throws Exception {
    return client
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private String stderr() throws java.io.IOException {
    return Files.readString(tmp.resolve("stderr.txt"));
  }
}
