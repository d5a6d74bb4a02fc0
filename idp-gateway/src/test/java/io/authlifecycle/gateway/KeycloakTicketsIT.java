package io.authlifecycle.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.DeviceAttribution;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.testing.KeycloakExtension;
import io.authlifecycle.gateway.testing.KeycloakRealm;
import io.authlifecycle.gateway.testing.KeycloakServer;
import io.authlifecycle.gateway.testing.TestGateway;
import io.authlifecycle.gateway.testing.WebAuthnBrowser;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Enrollment tickets with a life at a real Keycloak 26, and bindings registered the way users
 * register them: TOTP through Keycloak's own required-action pages (form posts, the code computed
 * from the shown secret), passkeys through headless Chromium with a virtual authenticator. Each
 * test prints what Keycloak showed before and after.
 */
@ExtendWith(KeycloakExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// A running gateway is the test's environment even where the body does not name it.
@SuppressWarnings("try")
class KeycloakTicketsIT {

  private static final Duration SOON = Duration.ofSeconds(30);
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
  void anOnboardingTicketsTotpComesBackBoundWithItsTicketAndTheTicketIsUsedUp() throws Exception {
    String user = realm.addUser("olga", "S-olga", "pw-olga", 0, List.of());
    Instant now = Instant.now();
    AuthenticatorCommand issue = TestGateway.ticket("S-olga", "hr-olga-1", TicketPurpose.ONBOARDING,
        List.of(FactorType.OTP_APP), now, now.plus(Duration.ofHours(1)));
    String before = realm.describe(user);
    try (RunningGateway gateway = gateway(Map.of())) {
      kafka.produce(TestGateway.topicOf(issue), "S-olga", issue);
      CommandApplied applied = out.applied(issue.getCommandId());
      List<String> whileOpen = realm.requiredActions(user);

      realm.enrollTotp("olga", "pw-olga");
      AuthenticatorBound bound = bound("S-olga", 1).get(0);
      String otp = realm.credentialIds(user, "otp").get(0);
      await(() -> realm.requiredActions(user).isEmpty(), "required action gone");
      print("onboarding TOTP", before, realm.describe(user));

      assertThat(applied.getDetail()).isEqualTo("ticket ticket-hr-olga-1 (ONBOARDING) open: required action CONFIGURE_TOTP set"
          + " until " + issue.getTicket().getExpiresAt() + ", single use");
      assertThat(whileOpen).containsExactly("CONFIGURE_TOTP");
      assertThat(bound).isEqualTo(AuthenticatorBound.newBuilder().setEventId(Ids.derive(IdpGateway.NAME, "bound", otp))
          .setEventTime(bound.getEventTime()).setSubjectId("S-olga").setAuthenticatorId(otp).setFactorType(FactorType.OTP_APP)
          .setTicketId("ticket-hr-olga-1").setDeviceAttribution(DeviceAttribution.UNATTRIBUTED).setSource("keycloak").build());
      assertThat(out.audits("S-olga", 3)).extracting(AuditEvent::getAction)
          .contains("gateway.command.applied", "gateway.ticket.used", "gateway.binding.reported");
    }
  }

  @Test
  void aSecondBindingUnderAUsedTicketIsStillReportedWithThatTicketSoTheWorkerCanRevokeItAsReuse() throws Exception {
    String user = realm.addUser("pia", "S-pia", "pw-pia", 0, List.of());
    Instant now = Instant.now();
    AuthenticatorCommand issue = TestGateway.ticket("S-pia", "hr-pia-1", TicketPurpose.ONBOARDING,
        List.of(FactorType.OTP_APP), now, now.plus(Duration.ofHours(1)));
    String before = realm.describe(user);
    try (RunningGateway gateway = gateway(Map.of())) {
      kafka.produce(TestGateway.topicOf(issue), "S-pia", issue);
      out.applied(issue.getCommandId());
      String first = realm.enrollTotp("pia", "pw-pia");
      bound("S-pia", 1);
      // The account console's "set up authenticator app": a second OTP within the ticket's window.
      realm.enrollTotp("pia", "pw-pia", first);
      List<AuthenticatorBound> both = bound("S-pia", 2);
      print("reuse of a used ticket", before, realm.describe(user));

      assertThat(realm.credentialIds(user, "otp")).hasSize(2);
      assertThat(both).extracting(AuthenticatorBound::getTicketId).containsExactly("ticket-hr-pia-1", "ticket-hr-pia-1");
      assertThat(both).extracting(AuthenticatorBound::getAuthenticatorId).doesNotHaveDuplicates();
      assertThat(out.audits("S-pia", 1).stream().filter(a -> a.getAction().equals("gateway.ticket.used"))).hasSize(1);
    }
  }

  @Test
  void anUnusedTicketsRequiredActionIsRemovedAtExpiryAlsoAfterAGatewayRestart() throws Exception {
    String user = realm.addUser("quinn", "S-quinn", "pw-quinn", 0, List.of());
    Instant now = Instant.now();
    Instant expiry = now.plus(Duration.ofSeconds(12));
    AuthenticatorCommand issue = TestGateway.ticket("S-quinn", "rec-quinn-1", TicketPurpose.RECOVERY,
        List.of(FactorType.OTP_APP), now, expiry);
    String group = "test-" + UUID.randomUUID();
    String before = realm.describe(user);
    try (RunningGateway gateway = gateway(Map.of(CoreSettings.APPLICATION_ID_PREFIX.key(), group))) {
      kafka.produce(TestGateway.topicOf(issue), "S-quinn", issue);
      out.applied(issue.getCommandId());
    }
    List<String> betweenInstances = realm.requiredActions(user);
    try (RunningGateway restarted = gateway(Map.of(CoreSettings.APPLICATION_ID_PREFIX.key(), group))) {
      List<String> beforeExpiry = realm.requiredActions(user);
      await(() -> realm.requiredActions(user).isEmpty(), "required action removed at expiry");
      Instant removed = Instant.now();
      print("ticket expiry across a restart", before, realm.describe(user));

      assertThat(betweenInstances).containsExactly("CONFIGURE_TOTP");
      assertThat(beforeExpiry).containsExactly("CONFIGURE_TOTP");
      assertThat(removed).isAfterOrEqualTo(expiry).isBefore(expiry.plus(Duration.ofSeconds(10)));
      assertThat(out.audits("S-quinn", 2)).extracting(AuditEvent::getAction).contains("gateway.ticket.expired");
    }
  }

  @Test
  void aTicketOpensAtItsNotBeforeAndNotEarlier() throws Exception {
    String user = realm.addUser("rita", "S-rita", "pw-rita", 0, List.of());
    Instant now = Instant.now();
    Instant notBefore = now.plus(Duration.ofSeconds(8));
    AuthenticatorCommand issue = TestGateway.ticket("S-rita", "hr-rita-1", TicketPurpose.ONBOARDING,
        List.of(FactorType.OTP_APP), notBefore, notBefore.plus(Duration.ofHours(1)));
    String before = realm.describe(user);
    try (RunningGateway gateway = gateway(Map.of())) {
      kafka.produce(TestGateway.topicOf(issue), "S-rita", issue);
      CommandApplied applied = out.applied(issue.getCommandId());
      List<String> whenApplied = realm.requiredActions(user);
      Instant checked = Instant.now();
      await(() -> realm.requiredActions(user).contains("CONFIGURE_TOTP"), "required action at notBefore");
      Instant opened = Instant.now();
      print("notBefore", before, realm.describe(user));

      assertThat(checked).isBefore(notBefore);
      assertThat(whenApplied).isEmpty();
      assertThat(applied.getDetail()).startsWith("ticket ticket-hr-rita-1 (ONBOARDING) scheduled: required action CONFIGURE_TOTP from "
          + notBefore.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
      assertThat(opened).isAfterOrEqualTo(notBefore).isBefore(notBefore.plus(Duration.ofSeconds(10)));
      assertThat(out.audits("S-rita", 2)).extracting(AuditEvent::getAction).contains("gateway.ticket.opened");
    }
  }

  @Test
  void invalidatingOneTicketLeavesTheUsersOtherOpenTicket() throws Exception {
    String user = realm.addUser("sam", "S-sam", "pw-sam", 0, List.of());
    Instant now = Instant.now();
    AuthenticatorCommand otp = TestGateway.ticket("S-sam", "hr-sam-1", TicketPurpose.ONBOARDING,
        List.of(FactorType.OTP_APP), now, now.plus(Duration.ofHours(1)));
    AuthenticatorCommand passkey = TestGateway.ticket("S-sam", "mdm-sam-2", TicketPurpose.REBIND,
        List.of(FactorType.HARDWARE_PASSKEY), now, now.plus(Duration.ofHours(1)));
    AuthenticatorCommand invalidate = TestGateway.invalidate(otp, "hr-sam-3");
    String before = realm.describe(user);
    try (RunningGateway gateway = gateway(Map.of())) {
      kafka.produce(TestGateway.topicOf(otp), "S-sam", otp);
      kafka.produce(TestGateway.topicOf(passkey), "S-sam", passkey);
      // Two issuers, two topics: no order between them.
      out.applied(otp.getCommandId());
      out.applied(passkey.getCommandId());
      List<String> bothOpen = realm.requiredActions(user);
      kafka.produce(TestGateway.topicOf(invalidate), "S-sam", invalidate);
      CommandApplied closed = out.applied(invalidate.getCommandId());
      print("invalidate one of two tickets", before, realm.describe(user));

      assertThat(bothOpen).containsExactlyInAnyOrder("CONFIGURE_TOTP", "webauthn-register-passwordless");
      assertThat(realm.requiredActions(user)).containsExactly("webauthn-register-passwordless");
      assertThat(closed.getDetail()).isEqualTo("closed ticket(s) [ticket-hr-sam-1]: removed required action(s) [CONFIGURE_TOTP]");
    }
  }

  @Test
  void anOnboardingTicketReEnablesADisabledUserAtItsOpening() throws Exception {
    String user = realm.addUser("tess", "S-tess", "pw-tess", 1, List.of());
    try (RunningGateway gateway = gateway(Map.of())) {
      AuthenticatorCommand leaver = TestGateway.revokeAll("S-tess", "hr-tess-1");
      kafka.produce(TestGateway.topicOf(leaver), "S-tess", leaver);
      out.applied(leaver.getCommandId());
      String before = realm.describe(user);
      Instant now = Instant.now();
      AuthenticatorCommand rehire = TestGateway.ticket("S-tess", "hr-tess-2", TicketPurpose.ONBOARDING,
          List.of(FactorType.OTP_APP), now, now.plus(Duration.ofHours(1)));
      kafka.produce(TestGateway.topicOf(rehire), "S-tess", rehire);
      CommandApplied applied = out.applied(rehire.getCommandId());
      print("rehire through a new ONBOARDING ticket", before, realm.describe(user));

      assertThat(before).startsWith("enabled=false credentials=[]");
      assertThat(realm.enabled(user)).isTrue();
      assertThat(realm.requiredActions(user)).containsExactly("CONFIGURE_TOTP");
      assertThat(applied.getDetail()).contains("required action CONFIGURE_TOTP set, user re-enabled");
    }
  }

  @Test
  void aPasskeyWhoseAaguidIsOnTheHardwareListComesBackAsAHardwarePasskey() throws Exception {
    AuthenticatorBound bound = registerPasskeyUnderATicket("uma", true);

    assertThat(bound.getFactorType()).isEqualTo(FactorType.HARDWARE_PASSKEY);
  }

  @Test
  void aPasskeyWithAnAaguidNotOnTheListComesBackAsASyncedPasskey() throws Exception {
    AuthenticatorBound bound = registerPasskeyUnderATicket("vic", false);

    assertThat(bound.getFactorType()).isEqualTo(FactorType.SYNCED_PASSKEY);
  }

  @Test
  void revokeAllLeavesTheUserDisabledWithNoCredentialNoSessionAndNoOfflineToken() throws Exception {
    String user = realm.addUser("walt", "S-walt", "pw-walt", 1, List.of());
    realm.loginWithOtp("walt", "pw-walt");
    String offline = realm.offlineTokenWithOtp("walt", "pw-walt");
    realm.setRequiredActions(user, List.of("UPDATE_PROFILE"));
    int refreshBefore = realm.refresh(offline);
    int sessions = realm.sessions(user);
    AuthenticatorCommand command = TestGateway.revokeAll("S-walt", "hr-walt-1");
    String before = realm.describe(user);
    try (RunningGateway gateway = gateway(Map.of())) {
      kafka.produce(TestGateway.topicOf(command), "S-walt", command);
      CommandApplied applied = out.applied(command.getCommandId());
      print("leaver REVOKE_ALL", before, realm.describe(user));

      assertThat(refreshBefore).isEqualTo(200);
      assertThat(before).contains("enabled=true").contains("offlineSessions=1");
      assertThat(sessions).isPositive();
      assertThat(realm.enabled(user)).isFalse();
      assertThat(realm.credentials(user)).isEmpty();
      assertThat(realm.sessions(user)).isZero();
      assertThat(realm.offlineSessions(user)).isZero();
      assertThat(realm.requiredActions(user)).isEmpty();
      assertThat(realm.refresh(offline)).isEqualTo(400);
      assertThat(applied.getDetail()).isEqualTo("disabled the user, removed 1 credential(s) and the password, ended " + sessions + " session(s), "
          + "revoked offline tokens and consents of [" + KeycloakRealm.LOGIN_CLIENT + "], cleared required actions [UPDATE_PROFILE]");
    }
  }

  @Test
  void theDryRunAdapterChangesNothingInKeycloakAndReportsDryRun() throws Exception {
    String user = realm.addUser("xena", "S-xena", "pw-xena", 1, List.of());
    realm.loginWithOtp("xena", "pw-xena");
    AuthenticatorCommand command = TestGateway.revokeAll("S-xena", "hr-xena-1");
    String before = realm.describe(user);
    try (RunningGateway gateway = TestGateway.start(kafka.bootstrapServers(), Map.of())) {
      kafka.produce(TestGateway.topicOf(command), "S-xena", command);
      CommandApplied applied = out.applied(command.getCommandId());
      String after = realm.describe(user);
      print("dry-run REVOKE_ALL", before, after);

      assertThat(applied.getDryRun()).isTrue();
      assertThat(after).isEqualTo(before);
      assertThat(out.audits("S-xena", 1)).extracting(AuditEvent::getAction).containsExactly("gateway.command.shadow");
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void everyAuditChainTheGatewayWroteVerifies() {
    assertThat(AuditChainVerifier.verify(out.allAudits()).breaks()).isEmpty();
  }

  /**
   * A REBIND ticket for a passkey; the user registers one in the browser; a restarted gateway, told
   * (or not) that the virtual authenticator's AAGUID is a hardware model, reports the binding.
   */
  private AuthenticatorBound registerPasskeyUnderATicket(String name, boolean hardware) throws Exception {
    Assumptions.assumeTrue(WebAuthnBrowser.unavailableReason().isEmpty(), () -> WebAuthnBrowser.unavailableReason().get());
    realm.passkeyAttestation("direct");
    String subject = "S-" + name;
    String user = realm.addUser(name, subject, "pw-" + name, 0, List.of());
    Instant now = Instant.now();
    AuthenticatorCommand issue = TestGateway.ticket(subject, "mdm-" + name + "-1", TicketPurpose.REBIND,
        List.of(FactorType.HARDWARE_PASSKEY), now, now.plus(Duration.ofHours(1)));
    String group = "test-" + UUID.randomUUID();
    String before = realm.describe(user);
    try (RunningGateway gateway = gateway(Map.of(CoreSettings.APPLICATION_ID_PREFIX.key(), group, "gateway.bindings.enabled", "false"))) {
      kafka.produce(TestGateway.topicOf(issue), subject, issue);
      out.applied(issue.getCommandId());
    }
    List<String> whileOpen = realm.requiredActions(user);
    try (WebAuthnBrowser browser = new WebAuthnBrowser()) {
      browser.registerPasskey(keycloak.port(), KeycloakRealm.NAME, KeycloakRealm.LOGIN_CLIENT, name, "pw-" + name);
      assertThat(browser.credentials()).isEqualTo(1);
    }
    var credential = realm.credentials(user).stream().filter(c -> c.path("type").asText().startsWith("webauthn"))
        .findFirst().orElseThrow();
    String aaguid = new com.fasterxml.jackson.databind.ObjectMapper().readTree(credential.path("credentialData").asText())
        .path("aaguid").asText();
    String list = hardware ? aaguid : UUID.randomUUID().toString();
    try (RunningGateway reporting = gateway(Map.of(CoreSettings.APPLICATION_ID_PREFIX.key(), group,
        "keycloak.hardware-aaguids", list))) {
      AuthenticatorBound bound = bound(subject, 1).get(0);
      await(() -> realm.requiredActions(user).isEmpty(), "required action gone");
      print("passkey in the browser, AAGUID " + aaguid + (hardware ? " on" : " not on") + " the hardware list", before,
          realm.describe(user) + " -> " + bound.getFactorType());

      assertThat(whileOpen).containsExactly("webauthn-register-passwordless");
      assertThat(credential.path("type").asText()).isEqualTo("webauthn-passwordless");
      assertThat(aaguid).isNotBlank().isNotEqualTo("00000000-0000-0000-0000-000000000000");
      assertThat(bound.getTicketId()).isEqualTo("ticket-mdm-" + name + "-1");
      assertThat(bound.getAuthenticatorId()).isEqualTo(credential.path("id").asText());
      assertThat(bound.getDeviceAttribution()).isEqualTo(DeviceAttribution.UNATTRIBUTED);
      return bound;
    }
  }

  private static List<AuthenticatorBound> bound(String subject, int atLeast) {
    return out.facts(f -> f instanceof AuthenticatorBound b && b.getSubjectId().equals(subject), atLeast).stream()
        .map(AuthenticatorBound.class::cast).toList();
  }

  private static RunningGateway gateway(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(realm.gatewaySettings());
    settings.put("gateway.bindings.poll-interval", "500ms");
    settings.put("gateway.retry.initial-backoff", "100ms");
    settings.putAll(extra);
    return TestGateway.start(kafka.bootstrapServers(), settings);
  }

  private static void print(String test, String before, String after) {
    System.out.println("KEYCLOAK " + test + "\n  before: " + before + "\n  after:  " + after);
  }

  private static void await(Callable<Boolean> condition, String what) throws Exception {
    long deadline = System.nanoTime() + SOON.toNanos();
    while (!condition.call()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
