package dev.mnistcnn.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** Answers one kind of request; refusals are thrown as {@link ApiException} and sent as JSON. */
@FunctionalInterface
interface Endpoint {
  void handle(HttpExchange exchange) throws IOException, ApiException;
}
