package dev.mnistcnn.serve.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.mnistcnn.files.Json;
import java.util.Map;

/** JSON answers, error answers, method checks, and quoting client input in messages. */
public final class Exchanges {
  public static final String JSON_TYPE = "application/json";

  /** The program's mapper ({@link Json#MAPPER}), for answers and the nodes they are built of. */
  public static final ObjectMapper JSON = Json.MAPPER;

  /** Request bodies: one JSON document, and nothing after it. */
  public static final ObjectReader BODY =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The most characters of client input an error message repeats. */
  public static final int MAX_ECHO = 200;

  private Exchanges() {}

  public static Response json(int status, Object body) {
    try {
      return Response.of(status, JSON_TYPE, JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing JSON to memory", e);
    }
  }

  /** {@code {"error": message}}, the shape of TensorFlow Serving's errors. */
  public static Response error(int status, String message) {
    return json(status, Map.of("error", message));
  }

  /** Client input for an error message: at most {@value #MAX_ECHO} characters of it. */
  public static String clip(String clientText) {
    if (clientText == null || clientText.length() <= MAX_ECHO) {
      return clientText;
    }
    return clientText.substring(0, MAX_ECHO) + "... (" + clientText.length() + " characters)";
  }

  /**
   * 405 with an Allow header unless the request uses one of {@code allowed}; HEAD passes where GET
   * does (it is answered as GET without the body).
   */
  public static void requireMethod(Request request, String... allowed) throws ApiException {
    String method = request.method();
    for (String a : allowed) {
      if (a.equals(method) || (a.equals("GET") && method.equals("HEAD"))) {
        return;
      }
    }
    throw new ApiException(
        HttpStatus.METHOD_NOT_ALLOWED,
        clip(method)
            + " not allowed on "
            + clip(request.path())
            + "; use "
            + String.join(" or ", allowed),
        Map.of("Allow", String.join(", ", allowed)));
  }
}
