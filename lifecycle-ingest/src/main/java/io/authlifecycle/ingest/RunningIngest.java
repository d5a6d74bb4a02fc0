package io.authlifecycle.ingest;

import io.authlifecycle.core.runtime.HttpEndpoint;
import io.authlifecycle.core.runtime.Launchable;
import io.authlifecycle.ingest.http.ApiServer;
import io.authlifecycle.ingest.state.Journal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** A started ingest: its server and its journal, and a clean stop. */
public final class RunningIngest implements Launchable.Launched {

  private final ApiServer server;
  private final Journal journal;
  private final String host;
  private final CountDownLatch stopped = new CountDownLatch(1);

  RunningIngest(ApiServer server, Journal journal, String host) {
    this.server = server;
    this.journal = journal;
    this.host = host;
  }

  @Override
  public int httpPort() {
    return server.port();
  }

  /** Where the API is: scheme, host and port. */
  public String baseUrl() {
    String shown = host.equals("0.0.0.0") ? "127.0.0.1" : host;
    return (server.tls() ? "https" : "http") + "://" + shown + ":" + server.port();
  }

  /** The SCIM service provider's and the MDM webhook's URLs, for the local stack to print. */
  @Override
  public Map<String, String> endpoints() {
    Map<String, String> urls = new LinkedHashMap<>();
    urls.put("SCIM 2.0", baseUrl() + "/scim/v2/Users");
    urls.put("MDM webhook", baseUrl() + "/mdm/devices/events");
    return urls;
  }

  public Journal.Status status() {
    return journal.status();
  }

  HttpEndpoint.Health health() {
    Journal.Status s = journal.status();
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("state", s.name());
    if (!journal.problem().isEmpty()) {
      fields.put("problem", journal.problem());
    }
    return HttpEndpoint.Health.of(s != Journal.Status.FAILED && s != Journal.Status.CLOSED, s == Journal.Status.READY, fields);
  }

  /** Blocks until closed. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    server.close();
    journal.close();
    stopped.countDown();
  }
}
