package io.authlifecycle.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.e2e.bench.GroupProgress;
import io.authlifecycle.e2e.bench.WorkerStack;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 of the workers' JVM in the middle of the mixed load, then a restart on the same state:
 * exactly-once means every leaver still has exactly one committed REVOKE_ALL, no decision is lost,
 * none is visible twice, and every audit chain verifies.
 */
class WorkerCrashIT {

  @TempDir
  Path dir;

  @Test
  void aWorkerKilledMidRunAndRestartedLosesAndRepeatsNoDecision() throws Exception {
    killedMidRunAndRestarted(false);
  }

  /** The same with every worker co-hosted in one Streams application: one transaction per commit for all. */
  @Test
  void coHostedWorkersKilledMidRunAndRestartedLoseAndRepeatNoDecision() throws Exception {
    killedMidRunAndRestarted(true);
  }

  private void killedMidRunAndRestarted(boolean coHost) throws Exception {
    try (KafkaTestCluster kafka = KafkaTestCluster.start();
        FaultRig rig = new FaultRig(dir.resolve(coHost ? "co-hosted" : "separate"), kafka.bootstrapServers(), coHost)) {
      WorkerStack first = rig.startStack("workers", Map.of());
      rig.loadPopulation();
      long[] outage = new long[2];

      FaultRig.Sent sent = rig.sendWithFaultHalfway(() -> {
        first.kill();
        outage[0] = System.nanoTime();
        WorkerStack restarted = rig.startStack("workers", Map.of());
        outage[1] = System.nanoTime();
        assertThat(restarted.states()).allSatisfy((w, s) -> assertThat(s).isEqualTo("RUNNING"));
      });
      try (GroupProgress groups = rig.progress(rig.workers)) {
        rig.awaitCaughtUp(groups, "mixed load");
      }

      Ledger.Verdict verdict = Ledger.read(kafka.bootstrapServers()).check(sent, rig.inputs);
      verdict.assertExactlyOnce("kill -9 of the " + (coHost ? "co-hosted " : "") + "workers' JVM at event " + sent.faultAtEvent
          + ", back RUNNING "
          + String.format("%.1f s", (outage[1] - outage[0]) / 1e9) + " later");
    }
  }
}
