package io.authlifecycle.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.e2e.bench.GroupProgress;
import io.authlifecycle.e2e.bench.WorkerStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three KRaft brokers, every topic at replication factor 3 with two in sync required: under the
 * mixed load the broker leading the busiest partitions is shut down and brought back, then all three
 * brokers are restarted one by one. Producers and transactions fail over to the new leaders; every
 * leaver still has exactly one committed REVOKE_ALL, nothing is lost or repeated, every audit chain
 * verifies.
 *
 * <p>Sizes: {@code -Dfaults.cluster.events} (default 25,000) at {@code -Dfaults.cluster.rate} events/s
 * (default 500), long enough for the load to span the faults; {@code -Dfaults.cluster.outage-seconds} (5).
 */
class ClusterFailoverIT {

  private static final int EVENTS = Integer.getInteger("faults.cluster.events", 25_000);
  private static final double RATE = Double.parseDouble(System.getProperty("faults.cluster.rate", "500"));
  /** How long a stopped broker stays down: the fault itself, not a wait for a condition. */
  private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("faults.cluster.outage-seconds", 5));
  private static final Duration REPLICATED = Duration.ofMinutes(2);

  @TempDir
  Path dir;

  @Test
  void workersRideOutALeaderKillAndARollingRestartOfThreeBrokersLosingAndRepeatingNothing() throws Exception {
    long t0 = System.nanoTime();
    try (ThreeBrokers kafka = ThreeBrokers.start(); FaultRig rig = new FaultRig(dir, kafka.bootstrapServers(), EVENTS, RATE)) {
      WorkerStack stack = rig.startStack("workers", Map.of());
      rig.loadPopulation();
      List<String> timeline = new ArrayList<>();

      FaultRig.Sent sent = rig.sendWithFault(() -> {
        long start = System.nanoTime();
        Map.Entry<Integer, Map<TopicPartition, Long>> busiest = kafka.busiestLeader();
        int leader = busiest.getKey();
        kafka.shutdown(leader);
        timeline.add(String.format("%5.1f s broker %d shut down, leader of %s", secs(start), leader,
            busiest.getValue().entrySet().stream().limit(4).map(e -> e.getKey() + " (" + e.getValue() + " records)").toList()));
        Thread.sleep(OUTAGE.toMillis());
        kafka.startup(leader);
        kafka.awaitFullyReplicated(REPLICATED);
        timeline.add(String.format("%5.1f s broker %d back, every partition fully in sync", secs(start), leader));
        for (int broker : kafka.brokerIds()) {
          kafka.shutdown(broker);
          Thread.sleep(OUTAGE.toMillis());
          kafka.startup(broker);
          kafka.awaitFullyReplicated(REPLICATED);
          timeline.add(String.format("%5.1f s roll: broker %d restarted, every partition fully in sync", secs(start), broker));
        }
      }, 0.1);
      try (GroupProgress groups = rig.progress(rig.workers)) {
        rig.awaitCaughtUp(groups, "mixed load");
      }

      assertThat(stack.jvm().isAlive()).isTrue();
      assertThat(stack.awaitAllRunning(FaultRig.START)).as("every worker RUNNING: %s", stack.states()).isTrue();
      System.out.println("Three brokers, RF 3, min.insync.replicas 2; faults from event " + sent.faultAtEvent + " of "
          + EVENTS + " sent at " + RATE + "/s over " + String.format("%.1f s", sent.sendingSeconds) + ":");
      timeline.forEach(line -> System.out.println("  " + line));
      Ledger.Verdict verdict = Ledger.read(kafka.bootstrapServers()).check(sent, rig.inputs);
      verdict.assertExactlyOnce("three brokers: the busiest partitions' leader killed at event " + sent.faultAtEvent
          + ", then a rolling restart of all three; workers " + stack.states());
      System.out.printf("ClusterFailoverIT took %.1f s%n", secs(t0));
    }
  }

  private static double secs(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
