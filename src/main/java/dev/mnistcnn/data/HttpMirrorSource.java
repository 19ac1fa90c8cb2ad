package dev.mnistcnn.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * A public web mirror holding the four files as {@code <name>.gz}, the way most users with internet
 * fetch MNIST. Short connect and response timeouts make an offline machine fail fast and move on.
 */
final class HttpMirrorSource implements DatasetSource {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

  private final URI baseUri;
  private final HttpClient client;

  /** {@code baseUrl} ends with a slash; file names are resolved against it. */
  HttpMirrorSource(String baseUrl) {
    this.baseUri = URI.create(baseUrl);
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  @Override
  public String description() {
    return baseUri.toString();
  }

  @Override
  public void fetch(List<DatasetFile> files, Sink sink, Consumer<String> log) throws IOException {
    for (DatasetFile file : files) {
      URI uri = baseUri.resolve(file.gzipFileName());
      HttpResponse<InputStream> response = get(uri);
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new IOException("HTTP " + response.statusCode() + " for " + uri);
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (DownloadProgress progress = DownloadProgress.start(file.gzipFileName(), length, log);
            InputStream in = new GZIPInputStream(progress.wrap(body), 1 << 16)) {
          sink.accept(file, in);
        }
      }
    }
  }

  private HttpResponse<InputStream> get(URI uri) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET().build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching " + uri);
    } catch (IOException e) {
      throw new IOException("cannot fetch " + baseUri.relativize(uri) + ": " + reason(e), e);
    }
  }

  /** Offline machines fail name resolution, whose exception says nothing useful by itself. */
  private String reason(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return "unknown host " + baseUri.getHost() + " (no internet connection?)";
      }
    }
    return DatasetFetcher.describe(e);
  }
}
