package io.authlifecycle.core.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /health}, {@code /ready}, {@code /metrics} and a component's query routes over the JDK HTTP
 * server; the query routes can listen on a port of their own, so a network policy can admit
 * Prometheus to the metrics without admitting it to subjects' state.
 */
public final class HttpEndpoint implements AutoCloseable {

  /** What the endpoint reports: alive (for /health), taking work (for /ready), and a JSON body. */
  public record Health(boolean alive, boolean ready, String json) {

    /** The health of a Kafka Streams client: alive unless in error or stopped, ready when RUNNING. */
    public static Health of(KafkaStreams.State s) {
      boolean alive = s != KafkaStreams.State.ERROR && s != KafkaStreams.State.NOT_RUNNING
          && s != KafkaStreams.State.PENDING_ERROR;
      return of(alive, s == KafkaStreams.State.RUNNING, Map.of("state", s.name()));
    }

    /** A health whose JSON body holds {@code fields} (in their map's order). */
    public static Health of(boolean alive, boolean ready, Map<String, ?> fields) {
      try {
        return new Health(alive, ready, JSON.writeValueAsString(fields));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("health fields are not JSON-writable: " + fields, e);
      }
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The query routes share the main port. */
  public static final int SAME_PORT = -1;

  private final HttpServer server;
  private final HttpServer queries;

  public HttpEndpoint(String name, String host, int port, Supplier<Health> health, PrometheusMeterRegistry registry)
      throws IOException {
    this(name, host, port, SAME_PORT, health, registry);
  }

  /** @param queryPort the port of the query routes: {@link #SAME_PORT}, a port, or 0 for a free one */
  public HttpEndpoint(String name, String host, int port, int queryPort, Supplier<Health> health,
      PrometheusMeterRegistry registry) throws IOException {
    server = open(name, host, port);
    queries = queryPort == SAME_PORT ? server : open(name + "-query", host, queryPort);
    server.createContext("/health", ex -> {
      Health h = health.get();
      respond(ex, h.alive() ? 200 : 503, "application/json", h.json());
    });
    server.createContext("/ready", ex -> {
      Health h = health.get();
      respond(ex, h.ready() ? 200 : 503, "application/json", h.json());
    });
    server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.start();
    if (queries != server) {
      queries.start();
    }
  }

  private static HttpServer open(String name, String host, int port) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
    http.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, name + "-http");
      t.setDaemon(true);
      return t;
    }));
    return http;
  }

  /** Adds query routes once the Streams client they read exists; each answers only a caller {@code auth} permits. */
  public void addRoutes(Map<String, WorkerApp.QueryRoute> routes, QueryAuth auth) {
    routes.forEach((path, route) -> queries.createContext(path, ex -> {
      if (!auth.permits(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"queries\"");
        respond(ex, 401, "application/json", JSON.writeValueAsString(JSON.createObjectNode().put("error", auth.configured()
            ? "a valid bearer token is required" : "queries are off: no http.query-token-file or http.query-token is set")));
        return;
      }
      try {
        String body = route.answer(query(ex.getRequestURI().getRawQuery()));
        String answer = body == null ? JSON.writeValueAsString(JSON.createObjectNode().put("error", "not found")) : body;
        respond(ex, body == null ? 404 : 200, "application/json", answer);
      } catch (SubjectQuery.Unavailable e) {
        LOG.warn("query {}: {}", ex.getRequestURI(), e.getMessage());
        respond(ex, 503, "application/json", error(e));
      } catch (Exception e) {
        LOG.warn("query {} failed", ex.getRequestURI(), e);
        respond(ex, 503, "application/json", error(e));
      }
    }));
  }

  private static String error(Exception e) throws IOException {
    return JSON.writeValueAsString(JSON.createObjectNode().put("error", String.valueOf(e.getMessage())));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Where the query routes listen: {@link #port()} unless they have a port of their own. */
  public int queryPort() {
    return queries.getAddress().getPort();
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    if (queries != server) {
      queries.stop(0);
    }
    server.stop(0);
  }
}
