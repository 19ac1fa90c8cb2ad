package dev.mnistcnn.serve;

import dev.mnistcnn.serve.http.ApiException;
import dev.mnistcnn.serve.http.Endpoint;
import dev.mnistcnn.serve.http.Exchanges;
import dev.mnistcnn.serve.http.HttpStatus;
import dev.mnistcnn.serve.http.Request;
import dev.mnistcnn.serve.http.Response;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Which endpoint answers a path: the model API, health, metrics, the drawing page, or a 404. */
final class Router implements Endpoint {
  private final Endpoint modelApi;
  private final Endpoint metrics;
  private final StaticFiles page;

  Router(Endpoint modelApi, Endpoint metrics, StaticFiles page) {
    this.modelApi = modelApi;
    this.metrics = metrics;
    this.page = page;
  }

  @Override
  public CompletionStage<Response> handle(Request request) throws ApiException {
    return route(request.path()).handle(request);
  }

  @Override
  public boolean runsOnIoThread(Request request) {
    return route(request.path()).runsOnIoThread(request);
  }

  private Endpoint route(String path) {
    if (path.startsWith(ModelApi.PREFIX)) {
      return modelApi;
    }
    if (path.equals("/healthz") || path.equals("/health")) {
      return Router::health;
    }
    if (path.equals(ServerMetrics.PATH)) {
      return metrics;
    }
    if (page.serves(path)) {
      return page;
    }
    return request -> {
      throw ModelApi.malformed(request);
    };
  }

  private static CompletionStage<Response> health(Request request) throws ApiException {
    Exchanges.requireMethod(request, "GET");
    return Exchanges.json(HttpStatus.OK, Map.of("status", "ok")).now();
  }
}
