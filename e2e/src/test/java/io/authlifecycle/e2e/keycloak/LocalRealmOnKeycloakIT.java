package io.authlifecycle.e2e.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.deploy.KeycloakAdmin;
import io.authlifecycle.deploy.KeycloakChanges;
import io.authlifecycle.deploy.LocalRealm;
import io.authlifecycle.gateway.RunningGateway;
import io.authlifecycle.gateway.testing.KeycloakExtension;
import io.authlifecycle.gateway.testing.KeycloakServer;
import io.authlifecycle.gateway.testing.TestGateway;
import io.authlifecycle.leaver.LeaverWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The realm {@code bin/lifecycle-local --keycloak} sets up, on a real Keycloak: the gateway can
 * work with it (a leaver is locked out through the client and roles it creates), it is set up once
 * and found again, and the tail's line says what changed.
 */
@ExtendWith(KeycloakExtension.class)
class LocalRealmOnKeycloakIT {

  private static final Duration WAIT = Duration.ofSeconds(120);

  @Test
  void theLocalStacksRealmLetsTheGatewayLockALeaverOutAndTheTailSaysWhatChanged(KeycloakServer keycloak, @TempDir Path dir)
      throws Exception {
    KeycloakAdmin admin = new KeycloakAdmin(keycloak.url(), KeycloakServer.ADMIN, KeycloakServer.ADMIN_PASSWORD);
    String secret = LocalRealm.ensure(admin, dir);
    String password = LocalRealm.demoPassword(dir);
    LocalRealm.addUsers(admin, List.of("dave-e2e", "erin-e2e"), password);
    LocalRealm.signIn(admin, "dave-e2e", password);
    KeycloakChanges changes = new KeycloakChanges(admin);
    changes.remember("dave-e2e");

    assertThat(LocalRealm.ensure(admin, dir)).as("set up once, found again").isEqualTo(secret);
    try (KafkaTestCluster kafka = KafkaTestCluster.start();
        RunningWorker leaver = startLeaver(kafka, dir);
        RunningGateway gateway = TestGateway.start(kafka.bootstrapServers(), LocalRealm.gatewaySettings(keycloak.url(), secret))) {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      kafka.produce(Topics.HR_WORKER_EVENTS, "dave-e2e", WorkerEvent.newBuilder().setEventId("hr-dave-e2e")
          .setEventTime(now).setType(WorkerEventType.LEAVER).setSubjectId("dave-e2e").setIdentityType(IdentityType.HUMAN)
          .setEffectiveTime(now).setImmediate(true).setSource("workday").build());
      Trail trail = new Trail(kafka.bootstrapServers(), WAIT);
      List<CommandApplied> applied = trail.await(Topics.AUTHENTICATOR_EVENTS, f -> f instanceof CommandApplied a
          && a.getSubjectId().equals("dave-e2e"), l -> l.size() >= 2, "both leaver commands applied").stream()
          .map(CommandApplied.class::cast).toList();
      List<String> lines = new ArrayList<>();
      for (var audit : trail.all(Topics.AUDIT)) {
        lines.addAll(changes.apply((SpecificRecord) audit));
      }
      System.out.println(String.join("\n", lines));

      assertThat(applied).noneMatch(CommandApplied::getDryRun);
      assertThat(lines).containsExactly(
          "KEYCLOAK    dave-e2e: enabled → disabled; credentials [password] → []; sessions 1 → 0");
    }
  }

  private static RunningWorker startLeaver(KafkaTestCluster kafka, Path dir) throws InterruptedException {
    LeaverWorker app = new LeaverWorker();
    RunningWorker worker = WorkerRunner.start(app, WorkerRunner.settings(app, Optional.empty(), Map.of(
        CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(), CoreSettings.STATE_DIR.key(), dir.resolve("state").toString(),
        CoreSettings.HTTP_PORT.key(), "0")));
    assertThat(worker.awaitRunning(WAIT)).isTrue();
    return worker;
  }
}
