package io.authlifecycle.core.runtime;

import io.authlifecycle.core.streams.WorkerContext;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;

/** A started worker: its Streams client, its HTTP endpoint, and a clean stop. */
public final class RunningWorker implements AutoCloseable {

  private final WorkerContext context;
  private final KafkaStreams streams;
  private final HttpEndpoint http;
  private final Duration closeTimeout;
  private final CountDownLatch stopped;

  RunningWorker(WorkerContext context, KafkaStreams streams, HttpEndpoint http, Duration closeTimeout, CountDownLatch stopped) {
    this.context = context;
    this.streams = streams;
    this.http = http;
    this.closeTimeout = closeTimeout;
    this.stopped = stopped;
  }

  public String name() {
    return context.name();
  }

  public WorkerContext context() {
    return context;
  }

  public KafkaStreams streams() {
    return streams;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  public int httpPort() {
    return http.port();
  }

  /** The port of the query routes ({@code /subjects}): {@link #httpPort()} unless {@code http.query-port} is set. */
  public int queryPort() {
    return http.queryPort();
  }

  /** Waits until the Streams client reaches RUNNING; false on timeout or a terminal state. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      KafkaStreams.State s = streams.state();
      if (s == KafkaStreams.State.RUNNING) {
        return true;
      }
      if (!s.isRunningOrRebalancing() && s != KafkaStreams.State.CREATED) {
        return false;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** Blocks until the client stops on its own (error) or is closed. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  public boolean awaitStop(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Leaves the consumer group on a clean stop, so the partitions move now rather than after the session timeout. */
  @Override
  public void close() {
    streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(closeTimeout));
    http.close();
    stopped.countDown();
  }
}
