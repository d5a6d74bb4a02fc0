package io.authlifecycle.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authlifecycle.core.runtime.HttpEndpoint;
import io.authlifecycle.core.runtime.Launchable;

import io.authlifecycle.gateway.idp.IdentityProviderClient;
import io.authlifecycle.gateway.resilience.ResilientIdp;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/** A started gateway: its loop, its binding reporter, its HTTP endpoint, and a clean stop. */
public final class RunningGateway implements Launchable.Launched {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CommandLoop loop;
  private final Thread loopThread;
  private final HttpEndpoint http;
  private final ResilientIdp idp;
  private final Duration closeTimeout;

  RunningGateway(CommandLoop loop, Thread loopThread, HttpEndpoint http, ResilientIdp idp, Duration closeTimeout) {
    this.loop = loop;
    this.loopThread = loopThread;
    this.http = http;
    this.idp = idp;
    this.closeTimeout = closeTimeout;
  }

  @Override
  public int httpPort() {
    return http.port();
  }

  /** Running, failed or stopped. */
  public String status() {
    return loop.status().name();
  }

  public boolean failed() {
    return loop.status() == CommandLoop.Status.FAILED;
  }

  public CircuitBreaker.State breakerState() {
    return idp.breakerState();
  }

  /** Command partitions held back while the IdP is unavailable. */
  public Set<TopicPartition> pausedPartitions() {
    return loop.pausedPartitions();
  }

  /** Command partitions this instance owns, once their state is loaded. */
  public Set<TopicPartition> assignedPartitions() {
    return loop.assignedPartitions();
  }

  public IdentityProviderClient adapter() {
    return idp.client();
  }

  /** Blocks until the loop ends (an error, or close). */
  public void awaitStop() throws InterruptedException {
    loopThread.join();
  }

  HttpEndpoint.Health health() {
    CommandLoop.Status s = loop.status();
    boolean alive = s == CommandLoop.Status.STARTING || s == CommandLoop.Status.RUNNING;
    ObjectNode json = JSON.createObjectNode()
        .put("state", s.name())
        .put("adapter", idp.client().name())
        .put("shadowMode", idp.client().dryRun())
        .put("circuitBreaker", idp.breakerState().name())
        .put("pausedPartitions", loop.pausedPartitions().size());
    return new HttpEndpoint.Health(alive, s == CommandLoop.Status.RUNNING, json.toString());
  }

  @Override
  public void close() {
    loop.stop();
    try {
      loopThread.join(closeTimeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.close();
    idp.client().close();
  }
}
