package dev.mnistcnn.serve.grpc;

import static dev.mnistcnn.support.Grpc.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.Inference;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.grpc.proto.PredictRequest;
import dev.mnistcnn.serve.grpc.proto.PredictResponse;
import dev.mnistcnn.serve.grpc.proto.PredictionServiceGrpc;
import dev.mnistcnn.serve.http.BodyBudget;
import dev.mnistcnn.serve.models.Lease;
import dev.mnistcnn.serve.models.ModelSpec;
import dev.mnistcnn.serve.models.RequestMetrics;
import dev.mnistcnn.serve.models.ServableNotFoundException;
import dev.mnistcnn.serve.models.ServedModels;
import dev.mnistcnn.serve.models.SingleModel;
import dev.mnistcnn.serve.models.VersionStatus;
import dev.mnistcnn.support.Grpc;
import io.grpc.Context;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The gRPC server's own behaviour, with a model run the test completes by hand: graceful close, the
 * client's deadline, the connection limit, leases and metrics, threads.
 */
@Tag(Tier.FAST)
class GrpcServerTest {
  /** REST's default: 128 MB beyond the free 64 kB of each message. */
  private static final BodyBudget BUDGET = new BodyBudget(128L << 20);

  private static Predictor predictor;
  private static float[] image;

  /** Runs the test has not answered yet. */
  private final BlockingQueue<CompletableFuture<float[]>> runs = new LinkedBlockingQueue<>();

  /** The gRPC context of each held run's call, as the server sees it. */
  private final BlockingQueue<Context> calls = new LinkedBlockingQueue<>();

  private final List<String> recorded = new CopyOnWriteArrayList<>();
  private final RequestMetrics metrics =
      (model, api, entrypoint, status, nanos) ->
          recorded.add(model + " " + api + " " + entrypoint + " " + status);

  @BeforeAll
  static void open() throws Exception {
    predictor = Predictor.open(TestData.shippedModel());
    image = TestData.mnist().test().imagesAsFloats(0, 1);
  }

  @AfterAll
  static void close() {
    predictor.close();
  }

  @Test
  void closeFinishesCallsInFlightAndRefusesNewOnesWithUnavailable() throws Exception {
    CountingModels models = new CountingModels(heldRuns());
    GrpcServer server = GrpcServer.start(settings(10), models, metrics, BUDGET);
    try (Grpc.Client client = Grpc.Client.to(server.port())) {
      ListenableFuture<PredictResponse> inFlight =
          PredictionServiceGrpc.newFutureStub(client.channel()).predict(request());
      CompletableFuture<float[]> run = runs.poll(30, TimeUnit.SECONDS);
      server.stopAdmitting();
      assertStatus(Status.Code.UNAVAILABLE, "", () -> client.predictions().predict(request()));
      run.complete(predictor.probabilities(image, 1));
      assertEquals(
          10,
          inFlight
              .get(30, TimeUnit.SECONDS)
              .getOutputsMap()
              .values()
              .iterator()
              .next()
              .getFloatValCount());
    } finally {
      server.close();
    }
    assertEquals(1, models.acquired.get());
    assertEquals(1, models.closed.get());
    assertTrue(recorded.contains("mnist Predict GRPC OK"), recorded.toString());
  }

  @Test
  void aCallPastTheClientsDeadlineIsDeadlineExceededAndItsLeaseClosed() throws Exception {
    CountingModels models = new CountingModels(heldRuns());
    try (GrpcServer server = GrpcServer.start(settings(10), models, metrics, BUDGET);
        Grpc.Client client = Grpc.Client.to(server.port())) {
      assertStatus(
          Status.Code.DEADLINE_EXCEEDED,
          "",
          () ->
              PredictionServiceGrpc.newBlockingStub(client.channel())
                  .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                  .predict(request()));
      // The client gave up; the run ends only once the server has seen that too.
      Context call = calls.poll(30, TimeUnit.SECONDS);
      for (int i = 0; i < 3000 && !call.isCancelled(); i++) {
        Thread.sleep(10); // a failure bound only
      }
      assertTrue(call.isCancelled(), "the server call is cancelled past its deadline");
      runs.poll(30, TimeUnit.SECONDS).complete(predictor.probabilities(image, 1));
      // the server still answers, and records the late call as TF Serving's code
      CompletableFuture<PredictResponse> next =
          CompletableFuture.supplyAsync(() -> client.predictions().predict(request()));
      runs.poll(30, TimeUnit.SECONDS).complete(predictor.probabilities(image, 1));
      next.get(30, TimeUnit.SECONDS);
    }
    assertEquals(2, models.acquired.get());
    assertEquals(2, models.closed.get());
    assertEquals(
        List.of("mnist Predict GRPC DEADLINE_EXCEEDED", "mnist Predict GRPC OK"), recorded);
  }

  @Test
  void connectionsBeyondTheLimitAreClosedAtOnce() throws Exception {
    ServedModels models = new SingleModel("mnist", predictor, Inference.direct(predictor));
    try (GrpcServer server = GrpcServer.start(settings(1), models, metrics, BUDGET);
        Grpc.Client first = Grpc.Client.to(server.port());
        Grpc.Client second = Grpc.Client.to(server.port())) {
      first.predictions().predict(request());
      assertEquals(1, server.openConnections());
      assertStatus(Status.Code.UNAVAILABLE, "", () -> second.predictions().predict(request()));
      first.predictions().predict(request());
      assertEquals(1, server.openConnections());
    }
  }

  /**
   * A message's bytes beyond the free 64 kB draw on the budget REST bodies share: while others hold
   * it, a large Predict is refused RESOURCE_EXHAUSTED and a small one answered; what a call drew
   * comes back when it ends.
   */
  @Test
  void largeMessagesDrawOnTheSharedMemoryBudget() throws Exception {
    BodyBudget budget = new BodyBudget(1 << 20);
    ServedModels models = new SingleModel("mnist", predictor, Inference.direct(predictor));
    float[] hundred = TestData.mnist().test().imagesAsFloats(0, 100); // 314 kB as tensor_content
    PredictRequest large =
        Grpc.predict("mnist", predictor.inputName(), Grpc.content(hundred, 100, 784));
    try (GrpcServer server = GrpcServer.start(settings(10), models, metrics, budget);
        Grpc.Client client = Grpc.Client.to(server.port())) {
      assertEquals(100, outputs(client.predictions().predict(large)) / 10, "within the budget");
      awaitUsed(budget, 0); // given back when the call ends, just after the answer leaves

      assertTrue(budget.tryTake((1 << 20) - 100_000)); // REST bodies in flight hold most of it
      assertStatus(
          Status.Code.RESOURCE_EXHAUSTED,
          "memory for requests",
          () -> client.predictions().predict(large));
      assertEquals(1, outputs(client.predictions().predict(request())) / 10, "a small message");
      awaitUsed(budget, (1 << 20) - 100_000); // the refused and the small call hold nothing
      budget.giveBack((1 << 20) - 100_000);
      assertEquals(100, outputs(client.predictions().predict(large)) / 10, "room again");
      awaitUsed(budget, 0);
    }
  }

  private static void awaitUsed(BodyBudget budget, long bytes) throws InterruptedException {
    for (int i = 0; i < 1000 && budget.used() != bytes; i++) {
      Thread.sleep(10); // a failure bound only
    }
    assertEquals(bytes, budget.used(), "budget taken");
  }

  private static int outputs(PredictResponse response) {
    return response.getOutputsMap().values().iterator().next().getFloatValCount();
  }

  @Test
  void noThreadOutlivesClose() throws Exception {
    ServedModels models = new SingleModel("mnist", predictor, Inference.direct(predictor));
    try (GrpcServer server = GrpcServer.start(settings(10), models, metrics, BUDGET);
        Grpc.Client client = Grpc.Client.to(server.port())) {
      client.predictions().predict(request());
      assertTrue(serverThreads() > 0);
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().startsWith("serve-grpc")) {
          assertTrue(t.isDaemon(), t.getName());
        }
      }
    }
    for (int i = 0; i < 100 && serverThreads() > 0; i++) {
      Thread.sleep(50); // a pool thread may still be returning from its last task
    }
    assertEquals(0, serverThreads());
  }

  private static long serverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("serve-grpc"))
        .count();
  }

  /** Runs that wait for the test to complete them; each one's server call context is kept. */
  private Inference heldRuns() {
    return (images, count) -> {
      CompletableFuture<float[]> run = new CompletableFuture<>();
      calls.add(Context.current());
      runs.add(run);
      return run;
    };
  }

  private static GrpcServer.Settings settings(int maxConnections) {
    return new GrpcServer.Settings("127.0.0.1", 0, 4, 4 << 20, 1024, maxConnections, 128, 30_000);
  }

  private static PredictRequest request() {
    return Grpc.predict("mnist", predictor.inputName(), Grpc.content(image, 1, 784));
  }

  /** A SingleModel that counts leases taken and given back. */
  private static final class CountingModels implements ServedModels {
    final AtomicInteger acquired = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    private final SingleModel model;

    CountingModels(Inference inference) {
      this.model = new SingleModel("mnist", predictor, inference);
    }

    @Override
    public Lease acquire(ModelSpec spec) throws ServableNotFoundException {
      Lease lease = model.acquire(spec);
      acquired.incrementAndGet();
      return new Lease() {
        @Override
        public String name() {
          return lease.name();
        }

        @Override
        public long version() {
          return lease.version();
        }

        @Override
        public Predictor predictor() {
          return lease.predictor();
        }

        @Override
        public Inference inference() {
          return lease.inference();
        }

        @Override
        public void close() {
          closed.incrementAndGet();
          lease.close();
        }
      };
    }

    @Override
    public List<VersionStatus> status(String name, Long version) throws ServableNotFoundException {
      return model.status(name, version);
    }

    @Override
    public List<String> names() {
      return model.names();
    }
  }
}
