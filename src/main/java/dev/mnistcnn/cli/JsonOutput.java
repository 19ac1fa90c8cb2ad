package dev.mnistcnn.cli;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mnistcnn.files.Json;
import java.io.PrintWriter;

/** JSON output of the commands: one document on stdout. */
final class JsonOutput {
  private static final ObjectWriter WRITER =
      Json.MAPPER.writer().without(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private JsonOutput() {}

  static void print(PrintWriter out, Object value) throws java.io.IOException {
    out.println(WRITER.writeValueAsString(value));
    out.flush();
  }
}
