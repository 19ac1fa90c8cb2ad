package dev.mnistcnn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;

/** JSON output of the commands: one document on stdout. */
final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Json() {}

  static void print(PrintWriter out, Object value) throws java.io.IOException {
    out.println(MAPPER.writeValueAsString(value));
    out.flush();
  }
}
