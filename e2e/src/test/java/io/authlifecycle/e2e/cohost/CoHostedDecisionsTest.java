package io.authlifecycle.e2e.cohost;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.core.runtime.CoHostedWorkers;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.testing.TopologyHarness;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.e2e.bench.Mix;
import io.authlifecycle.e2e.bench.Population;
import io.authlifecycle.e2e.bench.WorkerInputs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/**
 * The co-hosting deployment mode changes no decision: the deciders hosted in one topology, fed a
 * mixed load (joiners, bindings, uses, movers, leavers, device events, recovery requests, then
 * weeks of timers), write exactly the commands, audit records (chains included), notifications,
 * recovery and approval requests that the same deciders write each in a topology of its own.
 */
class CoHostedDecisionsTest {

  private static final List<TopicSpec<?>> OUTPUTS = List.of(Topics.COMMANDS_JOINER, Topics.COMMANDS_MOVER,
      Topics.COMMANDS_LEAVER, Topics.COMMANDS_RECOVERY, Topics.AUDIT, Topics.NOTIFICATIONS, Topics.SYSTEM_REQUESTS,
      Topics.APPROVAL_REQUESTS);

  @Test
  void theDecidersHostedTogetherWriteExactlyWhatTheyWriteAlone() {
    List<WorkerApp> deciders = ServiceLoader.load(WorkerApp.class).stream().map(ServiceLoader.Provider::get)
        .filter(app -> !app.name().startsWith("probe") && !app.name().equals("ocsf-feed")).toList();
    assertThat(deciders).extracting(WorkerApp::name)
        .contains("joiner-worker", "leaver-worker", "mover-worker", "recovery-worker");
    WorkerInputs inputs = WorkerInputs.discover();
    Map<String, TopologyHarness> alone = new LinkedHashMap<>();
    // The recovery worker verifies the help-desk requests the load sends against the bench agent's key.
    deciders.forEach(app -> alone.put(app.name(), new TopologyHarness(app, Population.personKeys())));
    Map<String, List<String>> written = new LinkedHashMap<>();
    Map<String, List<String>> writtenAlone = new LinkedHashMap<>();
    try (TopologyHarness hosted = new TopologyHarness(new CoHostedWorkers(CoHostedWorkers.DEFAULT_NAME, deciders),
        Population.personKeys())) {
      Population population = new Population("cohost", 60);
      Random random = new Random(7);
      Mix mix = Mix.parse(Mix.DEFAULT);
      List<Population.Event> events = new ArrayList<>();
      for (int i = 0; i < population.size(); i++) {
        events.add(population.joiner(i, hosted.now()));
      }
      for (int i = 0; i < population.size(); i++) {
        events.addAll(population.bindings(i, hosted.now()));
      }
      for (Population.Event e : events) {
        pipe(e, hosted, alone, inputs);
      }
      for (int n = 0; n < 3_000; n++) {
        if (n % 300 == 150) {
          // A subject whose only factor is on the phone it loses: the mover files a recovery request for the recovery worker.
          for (Population.Event e : onlyFactorLost(population, n, hosted.now())) {
            pipe(e, hosted, alone, inputs);
          }
        }
        pipe(population.next(mix.pick(random.nextDouble()), n, hosted.now(), random), hosted, alone, inputs);
        if (n % 100 == 99) {
          advance(Duration.ofMinutes(37), hosted, alone, inputs);
        }
        collect(hosted, alone, written, writtenAlone);
      }
      for (int step = 0; step < 4 * 120; step++) {
        advance(Duration.ofHours(6), hosted, alone, inputs);
        collect(hosted, alone, written, writtenAlone);
      }
    } finally {
      alone.values().forEach(TopologyHarness::close);
    }

    for (TopicSpec<?> topic : OUTPUTS) {
      List<String> together = sorted(written.get(topic.name()));
      assertThat(together).as("%s written by the co-hosted deciders", topic.name())
          .isEqualTo(sorted(writtenAlone.get(topic.name())));
    }
    assertThat(Topics.COMMANDS_ALL.stream().mapToInt(t -> written.get(t.name()).size()).sum()).isGreaterThan(100);
    assertThat(written.get(Topics.SYSTEM_REQUESTS.name())).isNotEmpty();
    assertThat(written.get(Topics.APPROVAL_REQUESTS.name())).isNotEmpty();
    assertThat(written.get(Topics.AUDIT.name())).hasSizeGreaterThan(1_000);
  }

  /** A new, verified hire who binds one OTP app on a phone, then loses the phone. */
  private static List<Population.Event> onlyFactorLost(Population population, long seq, Instant now) {
    Population.Event hire = population.newHire(seq, now);
    String subject = hire.subjectId();
    String phone = subject + "-phone";
    AuthenticatorBound bound = AuthenticatorBound.newBuilder().setEventId("bind-" + subject).setEventTime(now)
        .setSubjectId(subject).setAuthenticatorId(subject + "-otp").setFactorType(FactorType.OTP_APP).setDeviceId(phone)
        .setSource("test-idp").build();
    DeviceEvent lost = DeviceEvent.newBuilder().setEventId("lost-" + subject).setEventTime(now).setDeviceId(phone)
        .setOwnerSubjectId(subject).setType(DeviceEventType.LOST).setReason("test").setSource("test-mdm").build();
    return List.of(hire,
        new Population.Event(Topics.AUTHENTICATOR_EVENTS, subject, bound, Mix.EventKind.USED, bound.getEventId(), subject),
        new Population.Event(Topics.MDM_DEVICE_EVENTS, phone, lost, Mix.EventKind.DEVICE, lost.getEventId(), subject));
  }

  /** One input to the host, and to every worker alone that reads its topic. */
  private void pipe(Population.Event e, TopologyHarness hosted, Map<String, TopologyHarness> alone, WorkerInputs inputs) {
    byte[] bytes = Population.encode(e.topic(), e.value());
    hosted.pipeRaw(e.topic().name(), e.key(), bytes);
    for (String worker : inputs.consumersOf(e.topic().name())) {
      if (alone.containsKey(worker)) {
        alone.get(worker).pipeRaw(e.topic().name(), e.key(), bytes);
      }
    }
    forwardBetweenWorkers(alone, inputs);
  }

  private void advance(Duration by, TopologyHarness hosted, Map<String, TopologyHarness> alone, WorkerInputs inputs) {
    hosted.advance(by);
    alone.values().forEach(h -> h.advance(by));
    forwardBetweenWorkers(alone, inputs);
  }

  /**
   * What one worker alone writes to a topic another reads (the mover's system recovery requests) goes to
   * that worker, as the host's own topology feeds it back; kept aside for the comparison.
   */
  private final Map<TopologyHarness, List<KeyValue<String, byte[]>>> forwarded = new LinkedHashMap<>();

  private void forwardBetweenWorkers(Map<String, TopologyHarness> alone, WorkerInputs inputs) {
    for (TopologyHarness from : alone.values()) {
      List<KeyValue<String, byte[]>> requests = new ArrayList<>();
      for (KeyValue<String, ?> kv : from.readKeyed(Topics.SYSTEM_REQUESTS)) {
        requests.add(KeyValue.pair(kv.key, Population.encode(Topics.SYSTEM_REQUESTS, kv.value)));
      }
      forwarded.computeIfAbsent(from, h -> new ArrayList<>()).addAll(requests);
      for (KeyValue<String, byte[]> kv : requests) {
        for (String reader : inputs.consumersOf(Topics.SYSTEM_REQUESTS.name())) {
          alone.get(reader).pipeRaw(Topics.SYSTEM_REQUESTS.name(), kv.key, kv.value);
        }
      }
    }
  }

  private void collect(TopologyHarness hosted, Map<String, TopologyHarness> alone, Map<String, List<String>> written,
      Map<String, List<String>> writtenAlone) {
    for (TopicSpec<?> topic : OUTPUTS) {
      List<String> mine = written.computeIfAbsent(topic.name(), t -> new ArrayList<>());
      hosted.read(topic).forEach(r -> mine.add(comparable(r, hostedNonces)));
      List<String> theirs = writtenAlone.computeIfAbsent(topic.name(), t -> new ArrayList<>());
      if (topic == Topics.SYSTEM_REQUESTS) {
        forwarded.values().forEach(list -> list.forEach(kv -> theirs.add(String.valueOf(
            Topics.SYSTEM_REQUESTS.valueSerde().deserializer().deserialize(null, kv.value)))));
        forwarded.clear();
      } else {
        alone.values().forEach(h -> h.read(topic).forEach(r -> theirs.add(comparable(r, aloneNonces))));
      }
    }
  }

  /** Each side's case nonce per request id: drawn at random when a case opens, so compared by role, not value. */
  private final Map<String, String> hostedNonces = new HashMap<>();
  private final Map<String, String> aloneNonces = new HashMap<>();

  /**
   * A record as text; an approval request's nonce is checked to be present and the same for every
   * record of its case, then named by its case, since the two runs draw different random nonces.
   */
  private static String comparable(Object record, Map<String, String> nonces) {
    if (!(record instanceof ApprovalRequested request)) {
      return String.valueOf(record);
    }
    String caseId = request.getSubjectId() + "/" + request.getRequestId();
    assertThat(request.getNonce()).as("nonce of %s", caseId).isNotBlank();
    assertThat(nonces.computeIfAbsent(caseId, c -> request.getNonce())).as("nonce of %s", caseId)
        .isEqualTo(request.getNonce());
    return String.valueOf(ApprovalRequested.newBuilder(request).setNonce("nonce-of-" + caseId).build());
  }

  private static List<String> sorted(List<String> records) {
    return records == null ? List.of() : records.stream().sorted().toList();
  }
}
