package dev.mnistcnn.serve.models;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** TF Serving's config files: protobuf text format, read into our copies of its messages. */
final class TextProtoFiles {
  /** Bigger than any config of a few models; a mistaken path to a model file fails fast. */
  static final long MAX_BYTES = 1024 * 1024;

  private TextProtoFiles() {}

  /**
   * Parses {@code file} into {@code builder}.
   *
   * @throws IllegalArgumentException the file is missing, too big, or not valid text format for the
   *     message, naming the file, line and column
   */
  static <B extends Message.Builder> B read(Path file, String what, B builder) {
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new IllegalArgumentException(
            what + " " + file + " is over " + MAX_BYTES + " bytes: not a config file");
      }
      TextFormat.merge(Files.readString(file, StandardCharsets.UTF_8), builder);
      return builder;
    } catch (TextFormat.ParseException e) {
      throw new IllegalArgumentException(
          what + " " + file + ": " + e.getMessage().replace('\n', ' '), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + e, e);
    }
  }
}
