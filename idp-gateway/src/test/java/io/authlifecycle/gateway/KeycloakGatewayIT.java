package io.authlifecycle.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.DeviceAttribution;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.testing.KeycloakExtension;
import io.authlifecycle.gateway.testing.KeycloakRealm;
import io.authlifecycle.gateway.testing.KeycloakServer;
import io.authlifecycle.gateway.testing.TestGateway;
import io.authlifecycle.gateway.testing.ThrottlingProxy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway applying commands to a real Keycloak 26, verified through Keycloak's Admin API. */
@ExtendWith(KeycloakExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// A running gateway is the test's environment even where the body does not name it.
@SuppressWarnings("try")
class KeycloakGatewayIT {

  private static KafkaTestCluster kafka;
  private static KeycloakServer keycloak;
  private static KeycloakRealm realm;
  private static GatewayOutputs out;

  @BeforeAll
  static void start(KeycloakServer server) throws Exception {
    keycloak = server;
    realm = server.realm();
    kafka = KafkaTestCluster.start();
    out = new GatewayOutputs(kafka);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void revokeAllRemovesEveryOtpCredentialAndReportsEachRemoval() throws Exception {
    String user = realm.addUser("alice", "S-alice", "pw-alice", 2, List.of());
    List<String> otp = realm.credentialIds(user, "otp");
    AuthenticatorCommand command = TestGateway.revokeAll("S-alice", "hr-alice-1");
    try (RunningGateway gateway = gateway(Map.of())) {
      kafka.produce(TestGateway.topicOf(command), "S-alice", command);

      CommandApplied applied = out.applied(command.getCommandId());
      List<AuthenticatorRevoked> revoked = out.facts(f -> f instanceof AuthenticatorRevoked r
          && command.getCommandId().equals(r.getCommandId()), 2).stream().map(AuthenticatorRevoked.class::cast).toList();

      assertThat(otp).hasSize(2);
      // A leaver is locked out: the password goes too (reported in the detail, not as an authenticator).
      assertThat(realm.credentials(user)).isEmpty();
      assertThat(realm.enabled(user)).isFalse();
      assertThat(applied.getAuthenticatorIds()).containsExactlyInAnyOrderElementsOf(otp);
      assertThat(applied.getDryRun()).isFalse();
      assertThat(applied.getSource()).isEqualTo("keycloak");
      assertThat(applied.getDetail()).isEqualTo("disabled the user, removed 2 credential(s) and the password, ended 0 session(s), "
          + "cleared required actions []");
      assertThat(revoked).containsExactlyInAnyOrderElementsOf(otp.stream().map(id -> AuthenticatorRevoked.newBuilder()
          .setEventId(Ids.derive(IdpGateway.NAME, command.getCommandId(), "revoked", id))
          .setEventTime(applied.getEventTime()).setSubjectId("S-alice").setAuthenticatorId(id)
          .setFactorType(FactorType.OTP_APP).setCommandId(command.getCommandId()).setReason("test REVOKE_ALL")
          .setSource("keycloak").build()).toList());
      AuditEvent audit = out.audits("S-alice", 1).stream().filter(a -> a.getAction().equals("gateway.command.applied"))
          .findFirst().orElseThrow();
      assertThat(audit.getAction()).isEqualTo("gateway.command.applied");
      assertThat(audit.getOutcome()).isEqualTo(AuditOutcome.COMPLETED);
      assertThat(audit.getDetails()).containsEntry("authenticatorsRemoved", "2");
    }
  }

  @Test
  void revokeAuthenticatorRemovesOnlyThatCredential() throws Exception {
    String user = realm.addUser("bert", "S-bert", "pw-bert", 2, List.of());
    List<String> otp = realm.credentialIds(user, "otp");
    AuthenticatorCommand command = TestGateway.command(CommandAction.REVOKE_AUTHENTICATOR, "S-bert", "mdm-bert-1")
        .setAuthenticatorId(otp.get(0)).build();
    try (RunningGateway gateway = gateway(Map.of())) {
      kafka.produce(TestGateway.topicOf(command), "S-bert", command);

      CommandApplied applied = out.applied(command.getCommandId());

      assertThat(applied.getAuthenticatorIds()).containsExactly(otp.get(0));
      assertThat(realm.credentialIds(user, "otp")).containsExactly(otp.get(1));
    }
  }

  @Test
  void terminateSessionsEndsEverySessionOfTheUser() throws Exception {
    String user = realm.addUser("carl", "S-carl", "pw-carl", 0, List.of());
    realm.login("carl", "pw-carl");
    realm.login("carl", "pw-carl");
    AuthenticatorCommand command = TestGateway.command(CommandAction.TERMINATE_SESSIONS, "S-carl", "hr-carl-1").build();
    int before = realm.sessions(user);
    try (RunningGateway gateway = gateway(Map.of())) {
      kafka.produce(TestGateway.topicOf(command), "S-carl", command);

      CommandApplied applied = out.applied(command.getCommandId());

      assertThat(before).isEqualTo(2);
      assertThat(realm.sessions(user)).isZero();
      assertThat(applied.getDetail()).isEqualTo("ended 2 session(s)");
    }
  }

  @Test
  void anEnrollmentTicketSetsTheRequiredActionAndInvalidatingItRemovesIt() throws Exception {
    String user = realm.addUser("dana", "S-dana", "pw-dana", 0, List.of("UPDATE_PROFILE"));
    AuthenticatorCommand issue = TestGateway.enrollmentTicket("S-dana", "hr-dana-1", List.of(FactorType.PUSH_PLAIN, FactorType.OTP_APP));
    AuthenticatorCommand invalidate = TestGateway.command(CommandAction.INVALIDATE_TICKET, "S-dana", "hr-dana-2")
        .setIssuedBy("joiner-worker").build();
    try (RunningGateway gateway = gateway(Map.of())) {
      kafka.produce(TestGateway.topicOf(issue), "S-dana", issue);
      out.applied(issue.getCommandId());
      List<String> afterIssue = realm.requiredActions(user);
      kafka.produce(TestGateway.topicOf(invalidate), "S-dana", invalidate);
      CommandApplied invalidated = out.applied(invalidate.getCommandId());

      assertThat(afterIssue).containsExactlyInAnyOrder("UPDATE_PROFILE", "CONFIGURE_TOTP");
      assertThat(realm.requiredActions(user)).containsExactly("UPDATE_PROFILE");
      assertThat(invalidated.getDetail()).isEqualTo("closed ticket(s) [ticket-hr-dana-1]: removed required action(s) [CONFIGURE_TOTP]");
    }
  }

  @Test
  void suspendingIsRefusedWithAClearReasonBecauseKeycloakCannotDisableOneCredential() throws Exception {
    String user = realm.addUser("ella", "S-ella", "pw-ella", 1, List.of());
    String otp = realm.credentialIds(user, "otp").get(0);
    AuthenticatorCommand command = TestGateway.command(CommandAction.SUSPEND_AUTHENTICATOR, "S-ella", "mdm-ella-1")
        .setIssuedBy("mover-worker").setAuthenticatorId(otp).build();
    try (RunningGateway gateway = gateway(Map.of())) {
      kafka.produce(TestGateway.topicOf(command), "S-ella", command);

      CommandFailed failed = out.failed(command.getCommandId());
      DeadLetter letter = out.deadLetters(l -> l.getErrorKind() == DeadLetterKind.PERMANENT_FAILURE
          && l.getError().equals(failed.getError()), 1).get(0);

      assertThat(failed.getPermanent()).isTrue();
      assertThat(failed.getError()).startsWith("Keycloak cannot disable or re-enable a single credential");
      assertThat(letter.getWorker()).isEqualTo(IdpGateway.NAME);
      assertThat(realm.credentialIds(user, "otp")).containsExactly(otp);
      // Ella's imported OTP may have been reported (and audited) as a binding first.
      AuditEvent audit = out.audits("S-ella", 1).stream().filter(a -> a.getAction().equals("gateway.command.failed"))
          .findFirst().orElseThrow();
      assertThat(audit.getSeverity()).isEqualTo(Severity.HIGH);
    }
  }

  @Test
  void anUnknownUserIsAPermanentFailureDeadLetteredWithACriticalAudit() {
    AuthenticatorCommand command = TestGateway.revokeAll("S-nobody", "hr-nobody-1");
    try (RunningGateway gateway = gateway(Map.of())) {
      kafka.produce(TestGateway.topicOf(command), "S-nobody", command);

      CommandFailed failed = out.failed(command.getCommandId());
      DeadLetter letter = out.deadLetters(l -> l.getKey() != null
          && StandardCharsets.UTF_8.decode(l.getKey().duplicate()).toString().equals("S-nobody"), 1).get(0);
      AuditEvent audit = out.audits("S-nobody", 1).get(0);

      assertThat(failed).isEqualTo(CommandFailed.newBuilder().setEventId(failed.getEventId()).setEventTime(failed.getEventTime())
          .setSubjectId("S-nobody").setCommandId(command.getCommandId()).setAction(CommandAction.REVOKE_ALL)
          .setError("no Keycloak user has employeeId = S-nobody").setPermanent(true).setAttempts(1).setSource("keycloak").build());
      assertThat(letter.getErrorKind()).isEqualTo(DeadLetterKind.PERMANENT_FAILURE);
      assertThat(letter.getError()).isEqualTo("no Keycloak user has employeeId = S-nobody");
      assertThat(Topics.COMMANDS.valueSerde().deserializer().deserialize(null, bytes(letter))).isEqualTo(command);
      assertThat(audit.getAction()).isEqualTo("gateway.command.failed");
      assertThat(audit.getOutcome()).isEqualTo(AuditOutcome.FAILED);
      assertThat(audit.getSeverity()).isEqualTo(Severity.CRITICAL);
      assertThat(audit.getCommandIds()).containsExactly(command.getCommandId());
    }
  }

  @Test
  void aCommandDeliveredTwiceIsAppliedOnce() throws Exception {
    realm.addUser("fay", "S-fay", "pw-fay", 1, List.of());
    AuthenticatorCommand command = TestGateway.revokeAll("S-fay", "hr-fay-1");
    AuthenticatorCommand marker = TestGateway.command(CommandAction.TERMINATE_SESSIONS, "S-fay", "hr-fay-2").build();
    try (RunningGateway gateway = gateway(Map.of())) {
      kafka.produce(TestGateway.topicOf(command), "S-fay", command);
      out.applied(command.getCommandId());
      // The user binds a new factor afterwards: a re-applied REVOKE_ALL would remove it.
      String user = realm.addUser("fay", "S-fay", "pw-fay", 1, List.of());
      kafka.produce(TestGateway.topicOf(command), "S-fay", command);
      kafka.produce(TestGateway.topicOf(marker), "S-fay", marker);
      out.applied(marker.getCommandId());

      assertThat(realm.credentialIds(user, "otp")).hasSize(1);
      assertThat(out.factsAbout("S-fay").stream().filter(f -> f instanceof CommandApplied a
          && a.getCommandId().equals(command.getCommandId()))).hasSize(1);
    }
  }

  @Test
  void throttledCallsAreRetriedNoSoonerThanRetryAfterAsks() throws Exception {
    String user = realm.addUser("gus", "S-gus", "pw-gus", 1, List.of());
    AuthenticatorCommand command = TestGateway.revokeAll("S-gus", "hr-gus-1");
    String listing = "/users/" + user + "/credentials";
    try (ThrottlingProxy proxy = new ThrottlingProxy(keycloak.url(), p -> p.endsWith(listing), 2, 1);
        RunningGateway gateway = gateway(Map.of("keycloak.url", proxy.url(), "gateway.bindings.enabled", "false"))) {
      kafka.produce(TestGateway.topicOf(command), "S-gus", command);

      CommandApplied applied = out.applied(command.getCommandId());
      List<ThrottlingProxy.Seen> seen = proxy.seen(p -> p.endsWith(listing));
      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + gateway.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();

      assertThat(seen).extracting(ThrottlingProxy.Seen::status).containsExactly(429, 429, 200);
      // Retry-After: 1 asked for a second; the jittered backoff alone would have been about 100-300 ms.
      assertThat(Duration.between(seen.get(0).at(), seen.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
      assertThat(Duration.between(seen.get(1).at(), seen.get(2).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
      assertThat(applied.getAuthenticatorIds()).hasSize(1);
      assertThat(realm.credentialIds(user, "otp")).isEmpty();
      assertThat(out.audits("S-gus", 1).stream().filter(a -> a.getAction().equals("gateway.command.applied"))
          .findFirst().orElseThrow().getDetails()).containsEntry("attempts", "3");
      assertThat(metrics).contains("resilience4j_retry_calls_total{kind=\"successful_with_retry\",name=\"idp\"} 1.0");
    }
  }

  @Test
  void whileKeycloakIsDownCommandsWaitWithConsumptionPausedAndAllApplyWhenItReturns() throws Exception {
    Map<String, String> users = new HashMap<>();
    for (String name : List.of("hugo", "iris", "jack")) {
      users.put("S-" + name, realm.addUser(name, "S-" + name, "pw-" + name, 2, List.of()));
    }
    List<AuthenticatorCommand> commands = users.keySet().stream().map(s -> TestGateway.revokeAll(s, "hr-outage-" + s)).toList();
    try (RunningGateway gateway = gateway(Map.of())) {
      AuthenticatorCommand warmUp = TestGateway.command(CommandAction.TERMINATE_SESSIONS, "S-hugo", "hr-hugo-0").build();
      kafka.produce(TestGateway.topicOf(warmUp), "S-hugo", warmUp);
      out.applied(warmUp.getCommandId());

      keycloak.stop();
      commands.forEach(c -> kafka.produce(TestGateway.topicOf(c), c.getSubjectId(), c));
      await(() -> !gateway.pausedPartitions().isEmpty(), "consumption paused");
      CircuitBreaker.State whileDown = gateway.breakerState();
      List<String> decidedWhileDown = users.keySet().stream().flatMap(s -> out.factsAbout(s).stream())
          .filter(f -> f instanceof CommandApplied || f instanceof CommandFailed)
          .map(f -> f.get(f.getSchema().getField("commandId").pos()).toString())
          .filter(id -> commands.stream().anyMatch(c -> c.getCommandId().equals(id))).toList();

      keycloak.restart();
      for (AuthenticatorCommand c : commands) {
        out.applied(c.getCommandId());
      }

      assertThat(whileDown).isIn(CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN);
      assertThat(decidedWhileDown).isEmpty();
      for (String user : users.values()) {
        assertThat(realm.credentialIds(user, "otp")).isEmpty();
      }
      await(() -> gateway.pausedPartitions().isEmpty(), "consumption resumed");
      assertThat(out.deadLetters(l -> l.getKey() != null
          && users.containsKey(StandardCharsets.UTF_8.decode(l.getKey().duplicate()).toString()), 0)).isEmpty();
    }
  }

  @Test
  void bindingsMadeInKeycloakAreReportedAsAuthenticatorBound() throws Exception {
    String user = realm.addUser("kim", "S-kim", "pw-kim", 0, List.of("CONFIGURE_TOTP"));
    try (RunningGateway gateway = gateway(Map.of("gateway.bindings.poll-interval", "500ms"))) {
      realm.enrollTotp("kim", "pw-kim");
      String otp = realm.credentialIds(user, "otp").get(0);
      Instant created = Instant.ofEpochMilli(realm.credentials(user).stream()
          .filter(c -> c.path("id").asText().equals(otp)).findFirst().orElseThrow().path("createdDate").asLong());

      AuthenticatorBound bound = (AuthenticatorBound) out.facts(f -> f instanceof AuthenticatorBound b
          && b.getSubjectId().equals("S-kim"), 1).get(0);

      assertThat(bound).isEqualTo(AuthenticatorBound.newBuilder()
          .setEventId(Ids.derive(IdpGateway.NAME, "bound", otp)).setEventTime(created).setSubjectId("S-kim")
          .setAuthenticatorId(otp).setFactorType(FactorType.OTP_APP).setDeviceAttribution(DeviceAttribution.UNATTRIBUTED)
          .setSource("keycloak").build());
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void everyAuditChainTheGatewayWroteVerifies() {
    List<AuditEvent> audits = out.allAudits();
    assertThat(audits).isNotEmpty();
    assertThat(AuditChainVerifier.verify(audits).breaks()).isEmpty();
  }

  private static RunningGateway gateway(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(realm.gatewaySettings());
    settings.put("gateway.retry.initial-backoff", "100ms");
    settings.put("gateway.retry.max-backoff", "2s");
    settings.put("gateway.retry.max-attempts", "4");
    settings.put("gateway.breaker.open-wait", "1s");
    settings.put("gateway.bindings.poll-interval", "30s");
    settings.putAll(extra);
    return TestGateway.start(kafka.bootstrapServers(), settings);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + GatewayOutputs.WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static byte[] bytes(DeadLetter letter) {
    byte[] b = new byte[letter.getValue().remaining()];
    letter.getValue().duplicate().get(b);
    return b;
  }
}
