package io.authlifecycle.core.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.authlifecycle.core.testing.ProbeWorker;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.RegistryOptions;
import io.authlifecycle.schemas.RegistryUnavailableException;
import io.authlifecycle.schemas.Wire;
import io.authlifecycle.schemas.WireFormat;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistryOutageTest {

  private final TopologyHarness harness = new TopologyHarness(new ProbeWorker()).withoutAuditCatalogCheck();

  @AfterEach
  void close() {
    Wire.reset();
    try {
      harness.close();
    } catch (RuntimeException e) {
      // The driver may report the failed task again on close.
    }
  }

  @Test
  void aRegistryFramedRecordIsNotDeadLetteredWhileTheRegistryCannotBeAsked() throws IOException {
    Wire.configure(WireFormat.SINGLE_OBJECT, Optional.of(RegistryOptions.open("http://127.0.0.1:" + closedPort() + "/apis/registry/v2")));
    byte[] framed = {0, 0, 0, 0, 3, 2, 4, 6};

    Throwable thrown = catchThrowable(() -> harness.pipeRaw(Topics.HR_WORKER_EVENTS.name(), "alice", framed));

    assertThat(causes(thrown)).anyMatch(RegistryUnavailableException.class::isInstance);

    assertThat(harness.read(Topics.HR_WORKER_EVENTS.deadLetterTopic())).isEmpty();
    assertThat(harness.read(Topics.AUDIT)).isEmpty();
  }

  private static List<Throwable> causes(Throwable thrown) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
