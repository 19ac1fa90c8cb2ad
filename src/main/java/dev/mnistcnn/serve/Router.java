package dev.mnistcnn.serve;

import java.util.Map;

/** Which endpoint answers a path: the model API, health, metrics, the drawing page, or a 404. */
final class Router {
  private final Endpoint modelApi;
  private final Endpoint metrics;
  private final StaticFiles page;

  Router(Endpoint modelApi, Endpoint metrics, StaticFiles page) {
    this.modelApi = modelApi;
    this.metrics = metrics;
    this.page = page;
  }

  Endpoint route(String path) {
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

  private static java.util.concurrent.CompletionStage<Response> health(Request request)
      throws ApiException {
    Exchanges.requireMethod(request, "GET");
    return Exchanges.json(HttpStatus.OK, Map.of("status", "ok")).now();
  }
}
