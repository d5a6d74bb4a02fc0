package io.authlifecycle.gateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A small HTTP proxy in front of a real server that answers the first {@code throttled} matching
 * requests with 429 and a Retry-After, and forwards everything else. It records what it saw.
 */
public final class ThrottlingProxy implements AutoCloseable {

  /** One request as the proxy saw it (when it arrived), and what it answered. */
  public record Seen(Instant at, String method, String path, int status) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "throttling-proxy");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient client = HttpClient.newHttpClient();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  public ThrottlingProxy(String target, Predicate<String> throttlePath, int throttled, int retryAfterSeconds) throws IOException {
    AtomicInteger left = new AtomicInteger(throttled);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", ex -> {
      Instant arrived = Instant.now();
      String path = ex.getRequestURI().getRawPath();
      if (throttlePath.test(path) && left.getAndDecrement() > 0) {
        ex.getResponseHeaders().set("Retry-After", String.valueOf(retryAfterSeconds));
        respond(ex, 429, "{\"error\":\"too many requests\"}".getBytes(), "application/json");
        seen.add(new Seen(arrived, ex.getRequestMethod(), path, 429));
        return;
      }
      forward(ex, target, path, arrived);
    });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Requests seen for paths matching {@code which}, in order. */
  public List<Seen> seen(Predicate<String> which) {
    return seen.stream().filter(s -> which.test(s.path())).toList();
  }

  private void forward(HttpExchange ex, String target, String path, Instant arrived) throws IOException {
    String query = ex.getRequestURI().getRawQuery();
    byte[] body = ex.getRequestBody().readAllBytes();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path + (query == null ? "" : "?" + query)))
        .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (String header : List.of("Authorization", "Content-Type", "Accept")) {
      String value = ex.getRequestHeaders().getFirst(header);
      if (value != null) {
        request.header(header, value);
      }
    }
    try {
      HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      seen.add(new Seen(arrived, ex.getRequestMethod(), path, response.statusCode()));
      respond(ex, response.statusCode(), response.body(), response.headers().firstValue("Content-Type").orElse("application/json"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(ex, 502, new byte[0], "text/plain");
    } catch (IOException e) {
      respond(ex, 502, new byte[0], "text/plain");
    }
  }

  private static void respond(HttpExchange ex, int status, byte[] body, String type) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
