package io.authlifecycle.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** {@code /health}, {@code /ready} and {@code /metrics} of the gateway, like every worker's. */
final class GatewayHttp implements AutoCloseable {

  /** What the endpoint reports: whether alive, whether taking commands, and a JSON body. */
  record Health(boolean alive, boolean ready, String json) {}

  private final HttpServer server;

  GatewayHttp(String host, int port, Supplier<Health> health, PrometheusMeterRegistry registry) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "idp-gateway-http");
      t.setDaemon(true);
      return t;
    }));
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
  }

  int port() {
    return server.getAddress().getPort();
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
    server.stop(0);
  }
}
