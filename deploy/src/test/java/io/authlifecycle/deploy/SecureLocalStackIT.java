package io.authlifecycle.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.audit.AuditTopicVerifier;
import io.authlifecycle.core.audit.checkpoint.WriterKeys;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.topics.TopicScan;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.SchemaCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack with SASL and the standard authorizer: workers run as their own least-privilege principals. */
class SecureLocalStackIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  /** The gateway and the ingest have their keys but sign no checkpoints yet: they are not decision processors. */
  private static final Set<String> NOT_SIGNING = Set.of("idp-gateway", "lifecycle-ingest");

  @TempDir
  Path dataDir;

  @Test
  void workersDecideUnderTheirOwnPrincipalsAndAnHrFeedCannotWriteCommands() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
    Path config = dataDir.resolve("stack.properties");
    Files.writeString(config, "audit.checkpoint.interval=1s\n");
    Stack.Options options = new Stack.Options(dataDir, Optional.empty(), freePort(), freePort(), 0, Optional.of(config),
        Set.of("leaver-worker", "joiner-worker", "idp-gateway", "lifecycle-ingest"), true, false, WAIT, true);

    try (Stack stack = Stack.start(options, out)) {
      assertThat(stack.components().workers()).extracting(RunningWorker::state)
          .containsOnly(KafkaStreams.State.RUNNING);
      assertThat(Files.readString(dataDir.resolve("kafka/server.properties")))
          .contains("StandardAuthorizer").contains("CLIENT:SASL_PLAINTEXT");

      List<AuthenticatorCommand> commands = awaitCommands(stack.adminClient(),
          c -> c.stream().anyMatch(x -> x.getAction() == CommandAction.REVOKE_ALL)
              && c.stream().anyMatch(x -> x.getAction() == CommandAction.ISSUE_ENROLLMENT_TICKET));
      assertThat(commands).extracting(AuthenticatorCommand::getIssuedBy).contains("leaver-worker", "joiner-worker");
      // The gateway (dry-run by default) applies them under its own principal and reads its outcomes back.
      assertThat(awaitFacts(stack.adminClient(), f -> f.stream().anyMatch(CommandApplied.class::isInstance)))
          .filteredOn(CommandApplied.class::isInstance).map(f -> ((CommandApplied) f).getDryRun()).contains(true);

      // The ingest writes under its own principal too; the stack printed its URLs and made a token.
      String printed = console.toString(StandardCharsets.UTF_8);
      assertThat(printed).contains("SCIM 2.0: http://127.0.0.1:").contains("MDM webhook: http://127.0.0.1:");
      String webhook = printed.lines().filter(l -> l.contains("MDM webhook: ")).findFirst().orElseThrow()
          .replaceFirst(".*MDM webhook: ", "").strip();
      String token = Files.readAllLines(dataDir.resolve("ingest/tokens.properties")).stream()
          .filter(l -> l.startsWith("local=")).findFirst().orElseThrow().substring("local=".length());
      java.net.http.HttpResponse<String> accepted = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(webhook)).header("Authorization", "Bearer " + token)
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"secure-laptop\",\"owner\":\"alice\","
                  + "\"state\":\"LOST\",\"time\":\"" + java.time.Instant.now() + "\"}")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      List<String> devices = new ArrayList<>();
      TopicScan.readToEnd(stack.adminClient(), Topics.MDM_DEVICE_EVENTS.name(),
          r -> devices.add(Topics.MDM_DEVICE_EVENTS.valueSerde().deserializer().deserialize(r.topic(), r.value()).getDeviceId()));
      assertThat(devices).contains("secure-laptop");

      LocalSecurity security = LocalSecurity.load(dataDir.resolve("kafka"));
      Map<String, Object> hrFeed = new HashMap<>(security.clientProperties("hr-feed"));
      hrFeed.put("bootstrap.servers", stack.bootstrapServers());
      hrFeed.put("enable.idempotence", false);
      hrFeed.put("acks", "1");
      hrFeed.put("max.block.ms", 20_000);
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(hrFeed, new StringSerializer(), new StringSerializer())) {
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.COMMANDS_LEAVER.name(), "alice", "x")).get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
      }

      // The SOC, with the workers' public keys only, finds every worker record of the demo anchored by a signed checkpoint.
      Map<String, Object> soc = new HashMap<>(security.clientProperties("soc"));
      soc.put("bootstrap.servers", stack.bootstrapServers());
      AuditChainVerifier.Report trail = awaitAnchored(soc, WriterKeys.read(dataDir.resolve("keys/writer-keys.txt")));
      assertThat(trail.breaks()).filteredOn(b -> !notSigning(b)).isEmpty();
      assertThat(trail.records()).isPositive();
      assertThat(trail.checkpoints()).isPositive();
      assertThat(trail.pending()).isZero();
    }
    for (String secret : List.of("kafka/credentials.properties", "kafka/admin-client.properties", "kafka/server.properties",
        "keys/leaver-worker.key", "keys/joiner-worker.key", "keys/idp-gateway.key", "http/query-token")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(secret)))).as(secret).isEqualTo("rw-------");
    }
  }

  private static boolean notSigning(AuditChainVerifier.Break b) {
    return NOT_SIGNING.stream().anyMatch(c -> b.chain().equals(c) || b.chain().startsWith(c + " / "));
  }

  /** Verifies the trail (the workers' chains) as the SOC until a checkpoint covers every record, or the wait ends. */
  private static AuditChainVerifier.Report awaitAnchored(Map<String, Object> soc, WriterKeys keys) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    AuditChainVerifier.Report report;
    do {
      Thread.sleep(500);
      report = new AuditTopicVerifier(SchemaCatalog.get()).verify(soc, new AuditTopicVerifier.Request(Topics.AUDIT.name(),
          Topics.AUDIT_CHECKPOINTS.name(), Optional.empty(), keys,
          new AuditChainVerifier.Options(Optional.empty(), Duration.ofSeconds(5), Instant.now())));
    } while ((report.breaks().stream().anyMatch(b -> !notSigning(b)) || report.pending() > 0
        || report.checkpoints() == 0) && System.nanoTime() < deadline);
    return report;
  }

  private static List<AuthenticatorCommand> awaitCommands(Map<String, Object> client,
      java.util.function.Predicate<List<AuthenticatorCommand>> done) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<AuthenticatorCommand> commands = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      commands.clear();
      for (TopicSpec<AuthenticatorCommand> topic : Topics.COMMANDS_ALL) {
        TopicScan.readToEnd(client, topic.name(),
            r -> commands.add(topic.valueSerde().deserializer().deserialize(r.topic(), r.value())));
      }
      if (done.test(commands)) {
        return commands;
      }
      Thread.sleep(500);
    }
    return commands;
  }

  private static List<SpecificRecord> awaitFacts(Map<String, Object> client,
      java.util.function.Predicate<List<SpecificRecord>> done) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<SpecificRecord> facts = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      facts.clear();
      TopicScan.readToEnd(client, Topics.AUTHENTICATOR_EVENTS.name(),
          r -> facts.add(Topics.AUTHENTICATOR_EVENTS.valueSerde().deserializer().deserialize(r.topic(), r.value())));
      if (done.test(facts)) {
        return facts;
      }
      Thread.sleep(500);
    }
    return facts;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
