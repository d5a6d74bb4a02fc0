package io.authlifecycle.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.deploy.KafkaBroker;
import io.authlifecycle.deploy.StackTopics;
import io.authlifecycle.e2e.bench.GroupProgress;
import io.authlifecycle.e2e.bench.WorkerStack;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker (a process of its own) is stopped in the middle of the mixed load and started again
 * on the same data and port: the workers recover by themselves, lose and repeat nothing, and every
 * audit chain verifies.
 */
class BrokerRestartIT {

  /** How long the broker stays down: the fault itself, not a wait for a condition. */
  private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("faults.broker-outage-seconds", 8));

  @TempDir
  Path dir;

  @Test
  void workersRideOutABrokerRestartWithoutLosingOrRepeatingADecision() throws Exception {
    int port;
    int controllerPort;
    try (ServerSocket s1 = new ServerSocket(0); ServerSocket s2 = new ServerSocket(0)) {
      port = s1.getLocalPort();
      controllerPort = s2.getLocalPort();
    }
    Path home = dir.resolve("kafka");
    AtomicReference<KafkaBroker> broker = new AtomicReference<>(KafkaBroker.start(home, port, controllerPort, Duration.ofMinutes(3)));
    try (FaultRig rig = new FaultRig(dir, broker.get().bootstrapServers())) {
      StackTopics.ensure(Map.of("bootstrap.servers", rig.bootstrap));
      WorkerStack stack = rig.startStack("workers", Map.of());
      rig.loadPopulation();

      FaultRig.Sent sent = rig.sendWithFaultHalfway(() -> {
        broker.get().close();
        Thread.sleep(OUTAGE.toMillis());
        broker.set(KafkaBroker.start(home, port, controllerPort, Duration.ofMinutes(3)));
      });
      try (GroupProgress groups = rig.progress(rig.workers)) {
        rig.awaitCaughtUp(groups, "mixed load");
      }

      assertThat(stack.jvm().isAlive()).isTrue();
      assertThat(stack.awaitAllRunning(FaultRig.START)).as("every worker RUNNING again: %s", stack.states()).isTrue();
      Ledger.Verdict verdict = Ledger.read(rig.bootstrap).check(sent, rig.inputs);
      verdict.assertExactlyOnce("broker stopped at event " + sent.faultAtEvent + " for " + OUTAGE.toSeconds()
          + " s and restarted on the same data and port; workers " + stack.states());
    } finally {
      broker.get().close();
    }
  }
}
