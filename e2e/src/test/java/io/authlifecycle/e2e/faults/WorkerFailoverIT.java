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
 * Two instances of every worker (two JVMs, one standby replica of every store) share the
 * partitions; one JVM is killed mid-run and the survivor takes its partitions over: no decision is
 * lost or repeated, every leaver revoked exactly once, every audit chain intact.
 */
class WorkerFailoverIT {

  @TempDir
  Path dir;

  @Test
  void theSurvivingInstanceTakesOverAKilledOnesPartitionsWithoutLosingOrRepeatingADecision() throws Exception {
    try (KafkaTestCluster kafka = KafkaTestCluster.start(); FaultRig rig = new FaultRig(dir, kafka.bootstrapServers())) {
      Map<String, String> standby = Map.of("num.standby.replicas", "1");
      WorkerStack a = rig.startStack("workers-a", standby);
      WorkerStack b = rig.startStack("workers-b", standby);
      rig.loadPopulation();
      long[] takeover = new long[2];

      FaultRig.Sent sent = rig.sendWithFaultHalfway(() -> {
        a.kill();
        takeover[0] = System.nanoTime();
      });
      try (GroupProgress groups = rig.progress(rig.workers)) {
        rig.awaitCaughtUp(groups, "mixed load");
      }
      takeover[1] = System.nanoTime();

      assertThat(a.jvm().isAlive()).isFalse();
      assertThat(b.states()).allSatisfy((w, s) -> assertThat(s).isEqualTo("RUNNING"));
      Ledger.Verdict verdict = Ledger.read(kafka.bootstrapServers()).check(sent, rig.inputs);
      verdict.assertExactlyOnce("two instances of each worker, standby replicas 1, kill -9 of one at event "
          + sent.faultAtEvent + "; the survivor had everything consumed "
          + String.format("%.1f s", (takeover[1] - takeover[0]) / 1e9) + " after the kill");
    }
  }
}
