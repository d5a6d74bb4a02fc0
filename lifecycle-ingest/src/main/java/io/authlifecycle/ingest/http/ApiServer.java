package io.authlifecycle.ingest.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import com.unboundid.scim2.common.exceptions.ScimException;
import io.authlifecycle.core.runtime.HttpEndpoint;
import io.authlifecycle.ingest.state.KafkaUnavailableException;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest's HTTP(S) server (the JDK's): {@code /health}, {@code /ready} and {@code /metrics} open,
 * every API route behind one gate that authenticates the client, applies its rate limit, refuses an
 * oversized body unread, and turns refusals into SCIM error bodies and a Kafka outage into 503.
 */
public final class ApiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  /** Told of every request an authenticated client sent that was refused as invalid (400). */
  @FunctionalInterface
  public interface RefusalListener {
    void refused(ApiRequest request, ScimException refusal);
  }

  /** How the gate is set: the body limit, and the rate every client gets. */
  public record Limits(int maxBodyBytes, int requestsPerPeriod, Duration period) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final ClientAuth auth;
  private final Limits limits;
  private final RateLimiterRegistry limiters;
  private final PrometheusMeterRegistry registry;
  private final RefusalListener refusals;
  private final boolean tls;

  public ApiServer(String name, String host, int port, Optional<SSLContext> ssl, boolean requireClientCert, int threads,
      ClientAuth auth, Limits limits, PrometheusMeterRegistry registry, Supplier<HttpEndpoint.Health> health,
      RefusalListener refusals) throws IOException {
    this.auth = auth;
    this.limits = limits;
    this.registry = registry;
    this.refusals = refusals;
    this.tls = ssl.isPresent();
    this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom().limitForPeriod(limits.requestsPerPeriod())
        .limitRefreshPeriod(limits.period()).timeoutDuration(Duration.ZERO).build());
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (ssl.isPresent()) {
      HttpsServer https = HttpsServer.create(address, 0);
      SSLContext context = ssl.get();
      https.setHttpsConfigurator(new HttpsConfigurator(context) {
        @Override
        public void configure(HttpsParameters params) {
          SSLParameters p = context.getDefaultSSLParameters();
          // Ask every client for a certificate; one that has none may still bring a bearer token.
          if (requireClientCert) {
            p.setNeedClientAuth(true);
          } else {
            p.setWantClientAuth(true);
          }
          params.setSSLParameters(p);
        }
      });
      server = https;
    } else {
      server = HttpServer.create(address, 0);
    }
    executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name + "-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/health", ex -> {
      HttpEndpoint.Health h = health.get();
      send(ex, new ApiResponse(h.alive() ? 200 : 503, new LinkedHashMap<>(Map.of("Content-Type", "application/json")),
          h.json().getBytes(StandardCharsets.UTF_8)));
    });
    server.createContext("/ready", ex -> {
      HttpEndpoint.Health h = health.get();
      send(ex, new ApiResponse(h.ready() ? 200 : 503, new LinkedHashMap<>(Map.of("Content-Type", "application/json")),
          h.json().getBytes(StandardCharsets.UTF_8)));
    });
    server.createContext("/metrics", ex -> send(ex, new ApiResponse(200,
        new LinkedHashMap<>(Map.of("Content-Type", "text/plain; version=0.0.4; charset=utf-8")),
        registry.scrape().getBytes(StandardCharsets.UTF_8))));
  }

  /** Serves {@code context} (and everything under it) through the gate; {@code name} tags its metrics. */
  public void route(String context, String name, Endpoint endpoint) {
    server.createContext(context, ex -> {
      Timer.Sample sample = Timer.start(registry);
      ApiResponse response;
      try {
        response = gate(ex, context, name, endpoint);
      } catch (RuntimeException e) {
        LOG.error("{} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
        response = ApiResponse.error(500, null, "internal error; nothing was written unless a 2xx was returned");
      }
      sample.stop(Timer.builder("lifecycle.ingest.request.duration").tag("endpoint", name)
          .description("Time to answer one API request, Kafka transaction included").register(registry));
      counter("lifecycle.ingest.requests", "endpoint", name, "method", ex.getRequestMethod(),
          "status", String.valueOf(response.status())).increment();
      send(ex, response);
    });
  }

  private ApiResponse gate(HttpExchange ex, String context, String name, Endpoint endpoint) throws IOException {
    Optional<ClientAuth.Client> client = auth.authenticate(ex);
    if (client.isEmpty()) {
      String address = ex.getRemoteAddress().getAddress().getHostAddress();
      if (!limiter("unauthenticated:" + address).acquirePermission()) {
        return tooMany("unauthenticated");
      }
      counter("lifecycle.ingest.rejected", "endpoint", name, "reason", "unauthenticated").increment();
      return ApiResponse.error(401, null, "a bearer token (Authorization: Bearer ...) or a trusted client certificate is required")
          .withHeader("WWW-Authenticate", "Bearer realm=\"lifecycle-ingest\"");
    }
    if (!limiter("client:" + client.get().id()).acquirePermission()) {
      return tooMany(name);
    }
    Optional<byte[]> body = readBody(ex);
    if (body.isEmpty()) {
      counter("lifecycle.ingest.rejected", "endpoint", name, "reason", "too_large").increment();
      return ApiResponse.error(413, null, "the request body is larger than " + limits.maxBodyBytes() + " bytes");
    }
    String path = ex.getRequestURI().getRawPath().substring(context.length());
    ApiRequest request = new ApiRequest(ex.getRequestMethod(), path.isEmpty() ? "/" : path,
        query(ex.getRequestURI().getRawQuery()), ex.getRequestHeaders(), body.get(), client.get(), baseUrl(ex, context));
    try {
      return endpoint.handle(request);
    } catch (ScimException e) {
      if (e.getScimError().getStatus() == 400) {
        counter("lifecycle.ingest.rejected", "endpoint", name, "reason", "invalid").increment();
        refusals.refused(request, e);
      }
      return ApiResponse.error(e);
    } catch (KafkaUnavailableException e) {
      counter("lifecycle.ingest.rejected", "endpoint", name, "reason", "kafka_unavailable").increment();
      LOG.warn("{}: 503, {}", request.describe(), e.getMessage());
      return ApiResponse.error(503, null, "Kafka is unavailable; nothing was written, retry later (" + e.getMessage() + ")")
          .withHeader("Retry-After", "5");
    }
  }

  private ApiResponse tooMany(String name) {
    counter("lifecycle.ingest.rejected", "endpoint", name, "reason", "rate_limited").increment();
    long seconds = Math.max(1, (limits.period().toMillis() + 999) / 1000);
    return ApiResponse.error(429, null, "too many requests: at most " + limits.requestsPerPeriod() + " per "
        + limits.period()).withHeader("Retry-After", String.valueOf(seconds));
  }

  private RateLimiter limiter(String key) {
    return limiters.rateLimiter(key);
  }

  /** The body, or empty if it is larger than the limit (a declared length over it is not read at all). */
  private Optional<byte[]> readBody(HttpExchange ex) throws IOException {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.strip()) > limits.maxBodyBytes()) {
          return Optional.empty();
        }
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (InputStream in = ex.getRequestBody()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
        if (out.size() > limits.maxBodyBytes()) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(out.toByteArray());
  }

  private String baseUrl(HttpExchange ex, String context) {
    String host = Optional.ofNullable(ex.getRequestHeaders().getFirst("Host"))
        .orElse(ex.getLocalAddress().getHostString() + ":" + ex.getLocalAddress().getPort());
    return (tls ? "https" : "http") + "://" + host + context;
  }

  private Counter counter(String name, String... tags) {
    return Counter.builder(name).tags(tags).tag("worker", "lifecycle-ingest").register(registry);
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

  private static void send(HttpExchange ex, ApiResponse response) throws IOException {
    response.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    boolean noBody = response.body().length == 0;
    ex.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
    if (!noBody) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(response.body());
      }
    }
    ex.close();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public boolean tls() {
    return tls;
  }

  public void start() {
    server.start();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
