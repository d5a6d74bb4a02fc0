package io.authlifecycle.e2e.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.audit.AuditTopicVerifier;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.RunningGateway;
import io.authlifecycle.gateway.testing.KeycloakExtension;
import io.authlifecycle.gateway.testing.KeycloakRealm;
import io.authlifecycle.gateway.testing.KeycloakServer;
import io.authlifecycle.gateway.testing.TestGateway;
import io.authlifecycle.leaver.LeaverWorker;
import io.authlifecycle.schemas.SchemaCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The whole path of a leaver: HR event → leaver worker → gateway → Keycloak → confirmation → leaver.completed. */
@ExtendWith(KeycloakExtension.class)
class LeaverToKeycloakIT {

  private static final Duration WAIT = Duration.ofSeconds(120);

  /** The leaver worker still writes the shared authn.commands.v1 until its sink moves to its own topic. */
  private static Map<String, String> withSharedCommandTopic(Map<String, String> settings) {
    Map<String, String> all = new java.util.HashMap<>(settings);
    all.put("gateway.commands.legacy-topic", "true");
    return all;
  }

  @Test
  void aLeaversOtpCredentialsAndSessionsAreGoneInKeycloakAndTheCaseCompletes(KeycloakServer keycloak, @TempDir Path state)
      throws Exception {
    KeycloakRealm realm = keycloak.realm();
    // Lena binds an OTP app through Keycloak's own login flow, which also leaves her signed in.
    String user = realm.addUser("lena", "S-lena", "pw-lena", 0, List.of("CONFIGURE_TOTP"));
    realm.enrollTotp("lena", "pw-lena");
    assertThat(realm.credentialIds(user, "otp")).hasSize(1);
    assertThat(realm.sessions(user)).isPositive();

    try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
      LeaverWorker leaver = new LeaverWorker();
      try (RunningWorker worker = WorkerRunner.start(leaver, WorkerRunner.settings(leaver, Optional.empty(), Map.of(
              CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
              CoreSettings.STATE_DIR.key(), state.toString(),
              CoreSettings.HTTP_PORT.key(), "0")));
          RunningGateway gateway = TestGateway.start(kafka.bootstrapServers(), withSharedCommandTopic(realm.gatewaySettings()))) {
        assertThat(worker.awaitRunning(WAIT)).isTrue();
        Instant now = Instant.now();
        kafka.produce(Topics.HR_WORKER_EVENTS, "S-lena", WorkerEvent.newBuilder().setEventId("hr-lena-leaver")
            .setEventTime(now).setType(WorkerEventType.LEAVER).setSubjectId("S-lena").setIdentityType(IdentityType.HUMAN)
            .setEffectiveTime(now).setImmediate(true).setSource("workday").build());

        List<AuditEvent> audit = kafka.readCommitted(Topics.AUDIT,
            a -> a.stream().anyMatch(e -> e.getAction().equals("leaver.completed")), WAIT);

        assertThat(audit).filteredOn(e -> e.getAction().equals("leaver.completed")).singleElement()
            .satisfies(e -> {
              assertThat(e.getSubjectId()).isEqualTo("S-lena");
              assertThat(Long.parseLong(e.getDetails().get("elapsedMillis"))).isNotNegative();
            });
        assertThat(audit).extracting(AuditEvent::getAction)
            .contains("leaver.revocation.requested", "gateway.command.applied");
        // Locked out: disabled, no credential left (the password included), no session.
        assertThat(realm.credentials(user)).isEmpty();
        assertThat(realm.enabled(user)).isFalse();
        assertThat(realm.sessions(user)).isZero();
        assertThat(new AuditTopicVerifier(SchemaCatalog.get())
            .verify(Map.of("bootstrap.servers", kafka.bootstrapServers()), Topics.AUDIT.name(), Optional.empty()).breaks())
            .isEmpty();
      }
    }
  }
}
