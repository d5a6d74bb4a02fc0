package io.authlifecycle.ingest.http;

import com.sun.net.httpserver.Headers;
import java.util.Map;
import java.util.Optional;

/**
 * A request as an endpoint sees it: authenticated, within its rate, its body read within the limit.
 * {@code path} is relative to the endpoint's context; {@code baseUrl} is where that context is served.
 */
public record ApiRequest(String method, String path, Map<String, String> query, Headers headers, byte[] body,
    ClientAuth.Client client, String baseUrl) {

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.getFirst(name));
  }

  /** A short description for logs and audit: method, path, client. */
  public String describe() {
    return method + " " + path + " by " + client.id();
  }
}
