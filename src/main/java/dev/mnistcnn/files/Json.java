package dev.mnistcnn.files;

import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The program's one Jackson mapper, with Jackson's defaults; thread-safe, as it is never
 * reconfigured. A use that needs another setting (indented output, a lenient read) takes a {@code
 * MAPPER.writer()} or {@code MAPPER.reader()} with that feature.
 */
public final class Json {
  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}
}
