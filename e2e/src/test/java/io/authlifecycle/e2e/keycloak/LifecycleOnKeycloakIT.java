package io.authlifecycle.e2e.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.DeviceAttribution;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.IdentityVerification;
import io.authlifecycle.avro.RecipientRole;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.VerificationMethod;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.audit.AuditTopicVerifier;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.ctl.approvals.ApproveCommand;
import io.authlifecycle.ctl.approvals.KeygenCommand;
import io.authlifecycle.ctl.approvals.RequestCommand;
import io.authlifecycle.gateway.RunningGateway;
import io.authlifecycle.gateway.testing.KeycloakExtension;
import io.authlifecycle.gateway.testing.KeycloakRealm;
import io.authlifecycle.gateway.testing.KeycloakServer;
import io.authlifecycle.gateway.testing.TestGateway;
import io.authlifecycle.gateway.testing.WebAuthnBrowser;
import io.authlifecycle.schemas.SchemaCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole lifecycle on a real Keycloak: a broker, every worker on the class path, the gateway
 * with the Keycloak adapter, one Keycloak for the class. Factors are registered the way users
 * register them: TOTP through Keycloak's required-action pages (form posts, the code computed from
 * the shown secret), passkeys in headless Chromium with a virtual authenticator. Lifetimes and
 * grace periods are shortened by settings. Each flow prints one line of what Keycloak showed
 * before and after ({@code FLOW ...}).
 */
@ExtendWith(KeycloakExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleOnKeycloakIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Duration ONBOARDING_LIFETIME = Duration.ofSeconds(30);
  private static final Duration RECOVERY_LIFETIME = Duration.ofSeconds(20);
  private static final Duration LOSS_TICKET_LIFETIME = Duration.ofSeconds(20);
  private static final Duration GRACE = Duration.ofSeconds(30);
  /** The AAGUID Chromium's virtual authenticator attests with, listed as the organisation's hardware key. */
  private static final String HARDWARE_AAGUID = "01020304-0506-0708-0102-030405060708";
  private static final String APPROVER = "ap-keycloak";
  private static final String AGENT = "hd-keycloak";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FLOWS = new ArrayList<>();

  private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
  private static KafkaTestCluster kafka;
  private static KeycloakServer keycloak;
  private static KeycloakRealm realm;
  private static Trail trail;
  private static Path approverKey;
  private static Path agentKey;
  private static final List<AutoCloseable> running = new ArrayList<>();

  /** A Keycloak user created as HR provisioning creates it (a password, no second factor), mapped by employeeId. */
  private record Person(String subject, String userId, String password) {}

  @BeforeAll
  static void stack(KeycloakServer server, @TempDir Path dir) throws Exception {
    keycloak = server;
    realm = server.realm();
    // Attestation "direct": the passkey's AAGUID reaches Keycloak, so the gateway can tell a hardware key.
    realm.passkeyAttestation("direct");
    kafka = KafkaTestCluster.start();
    trail = new Trail(kafka.bootstrapServers(), WAIT);
    approverKey = dir.resolve(APPROVER + ".key");
    agentKey = dir.resolve(AGENT + ".key");
    String approverEntry = cli(new KeygenCommand(), "--person", APPROVER, "--hr-subject", "E-" + APPROVER, "--role", "APPROVER",
        "--out", approverKey.toString()).strip();
    String agentEntry = cli(new KeygenCommand(), "--person", AGENT, "--hr-subject", "E-" + AGENT, "--role", "HELP_DESK",
        "--out", agentKey.toString()).strip();

    Map<String, String> settings = new HashMap<>(Map.of(
        CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
        CoreSettings.HTTP_PORT.key(), "0",
        CoreSettings.APPLICATION_ID_PREFIX.key(), "kc-" + RUN,
        CoreSettings.TIMER_TICK.key(), "200ms",
        "joiner.ticket.lifetime", seconds(ONBOARDING_LIFETIME),
        "joiner.ticket.reminder-offsets", "",
        "mover.rebind.grace", seconds(GRACE),
        "mover.device-loss.ticket-lifetime", seconds(LOSS_TICKET_LIFETIME),
        "recovery.cooling-off.standard", "0s",
        "recovery.ticket.lifetime", seconds(RECOVERY_LIFETIME)));
    settings.put("person.keys", approverEntry + "," + agentEntry);
    settings.put("leaver.confirmation-deadline", "2m");
    List<String> started = startEveryWorker(settings, dir.resolve("state"));
    assertThat(started).contains("joiner-worker", "mover-worker", "leaver-worker", "recovery-worker", "ocsf-feed");

    Map<String, String> gateway = new HashMap<>(realm.gatewaySettings());
    gateway.put("keycloak.hardware-aaguids", HARDWARE_AAGUID);
    // Standard subjects' tickets (passkeys or an OTP app allowed) open CONFIGURE_TOTP; passkey-only ones a passkey.
    gateway.put("keycloak.enrollment-preference", "OTP_APP");
    gateway.put("gateway.bindings.poll-interval", "500ms");
    running.add(TestGateway.start(kafka.bootstrapServers(), gateway));
  }

  @AfterAll
  static void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    if (kafka != null) {
      kafka.close();
    }
    System.out.println("What Keycloak showed, flow by flow:");
    FLOWS.forEach(System.out::println);
  }

  /** Flow 1: a verified joiner's ticket, a TOTP registered on Keycloak's pages, accepted, told, closed. */
  @Test
  @Order(1)
  void aVerifiedJoinersTotpRegisteredOnKeycloaksPagesIsBoundToItsTicketTheSubjectToldAndNothingRevoked() throws Exception {
    Person ada = person("ada");
    String before = realm.describe(ada.userId());

    kafka.produce(Topics.HR_WORKER_EVENTS, ada.subject(), joiner(ada.subject()));
    AuthenticatorCommand ticket = ticketOf(Topics.COMMANDS_JOINER, ada, TicketPurpose.ONBOARDING);
    trail.until(() -> realm.requiredActions(ada.userId()).contains("CONFIGURE_TOTP"), "the ticket's required action for ada");
    String open = realm.describe(ada.userId());
    realm.enrollTotp(ada.subject(), ada.password());

    AuthenticatorBound bound = boundOf(ada, FactorType.OTP_APP);
    AuditEvent accepted = auditOf(ada, "enrollment.factor.bound");
    AuthenticatorCommand close = commandOf(Topics.COMMANDS_JOINER, ada, CommandAction.INVALIDATE_TICKET);
    CommandApplied closed = appliedOf(close);
    SubjectNotification told = notificationOf(ada, "factor.bound");
    String after = realm.describe(ada.userId());
    report("1 joiner: TOTP on the CONFIGURE_TOTP pages", ada, before, "ticket open: " + open, after);

    assertThat(ticket.getTicket().getAllowedFactorTypes()).contains(FactorType.OTP_APP);
    assertThat(realm.requiredActions(ada.userId())).isEmpty();
    assertThat(open).contains("requiredActions=[CONFIGURE_TOTP]");
    assertThat(realm.credentialIds(ada.userId(), "otp")).containsExactly(bound.getAuthenticatorId());
    assertThat(bound.getTicketId()).isEqualTo(ticket.getTicket().getTicketId());
    assertThat(bound.getDeviceAttribution()).isEqualTo(DeviceAttribution.UNATTRIBUTED);
    assertThat(accepted.getAuthenticatorId()).isEqualTo(bound.getAuthenticatorId());
    assertThat(close.getTicket().getTicketId()).isEqualTo(ticket.getTicket().getTicketId());
    assertThat(closed.getDryRun()).isFalse();
    assertThat(told.getRecipient()).isEqualTo(RecipientRole.SUBJECT);
    assertThat(told.getChannels()).contains(Channel.WORK_EMAIL).doesNotContain(Channel.IDP_PORTAL);
    assertThat(told.getNotMeRef()).isNotBlank();
    // Nothing revoked: no revocation asked by any worker, none reported, the OTP still in Keycloak.
    assertThat(commandsAbout(ada)).extracting(AuthenticatorCommand::getAction)
        .doesNotContain(CommandAction.REVOKE_AUTHENTICATOR, CommandAction.REVOKE_ALL, CommandAction.EXPIRE_AUTHENTICATOR);
    assertThat(factsAbout(ada)).noneMatch(f -> f instanceof AuthenticatorRevoked);
    assertThat(credentialTypes(ada)).containsExactlyInAnyOrder("password", "otp");
  }

  /** Flow 2: an ONBOARDING, a RECOVERY and a REBIND ticket left unused; each required action leaves Keycloak at expiry. */
  @Test
  @Order(2)
  void unusedTicketsOfEachPurposeExpireAndTheirRequiredActionIsGoneFromKeycloak() throws Exception {
    assumeBrowser();
    Person una = person("una");
    Person rita = person("rita");
    Person rex = person("rex");
    Map<Person, String> before = new HashMap<>();
    Map<Person, String> open = new HashMap<>();

    // ONBOARDING: a verified joiner who never signs in.
    before.put(una, realm.describe(una.userId()));
    kafka.produce(Topics.HR_WORKER_EVENTS, una.subject(), joiner(una.subject()));
    AuthenticatorCommand onboarding = ticketOf(Topics.COMMANDS_JOINER, una, TicketPurpose.ONBOARDING);
    trail.until(() -> realm.requiredActions(una.userId()).contains("CONFIGURE_TOTP"), "una's onboarding action");
    open.put(una, realm.describe(una.userId()));

    // RECOVERY: an existing engineer's help-desk recovery, opened and signed by the agent, approved, then not used.
    before.put(rita, realm.describe(rita.userId()));
    kafka.produce(Topics.HR_WORKER_EVENTS, rita.subject(), existing(rita.subject(), "engineer", false));
    String requestId = "rec-" + rita.subject();
    cli(new RequestCommand(), "open", "--subject", rita.subject(), "--key", agentKey.toString(), "--request-id", requestId,
        "--reason", "DEVICE_LOST", "--evidence", "IDENTITY_PROOFING:proof-" + rita.subject() + ":IAL2",
        "--comment", "called back on the number HR holds", "--bootstrap", kafka.bootstrapServers());
    trail.await(Topics.APPROVAL_REQUESTS, r -> r.getRequestId().equals(requestId), l -> !l.isEmpty(),
        "the approval request of " + requestId);
    cli(new ApproveCommand(), "--request", requestId, "--key", approverKey.toString(),
        "--comment", "called back on the number HR holds", "--bootstrap", kafka.bootstrapServers());
    AuthenticatorCommand recovery = ticketOf(Topics.COMMANDS_RECOVERY, rita, TicketPurpose.RECOVERY);
    trail.until(() -> realm.requiredActions(rita.userId()).contains("CONFIGURE_TOTP"), "rita's recovery action");
    open.put(rita, realm.describe(rita.userId()));

    // REBIND: a joiner with an OTP app and a hardware key loses the phone; the re-bind ticket is not used.
    String otpSecret = enrolledWithTotp(rex);
    try (WebAuthnBrowser browser = new WebAuthnBrowser()) {
      // The account console's "set up a passkey": no ticket, the joiner judges it against today's policy.
      browser.registerPasskey(keycloak.port(), KeycloakRealm.NAME, KeycloakRealm.LOGIN_CLIENT, rex.subject(), rex.password(),
          otpSecret, true);
    }
    AuthenticatorBound key = boundOf(rex, FactorType.HARDWARE_PASSKEY);
    auditOf(rex, "binding.accepted");
    String otp = realm.credentialIds(rex.userId(), "otp").get(0);
    before.put(rex, realm.describe(rex.userId()));
    kafka.produce(Topics.MDM_DEVICE_EVENTS, "rex-phone-" + RUN, lost(rex.subject(), "rex-phone-" + RUN));
    AuthenticatorCommand rebind = ticketOf(Topics.COMMANDS_MOVER, rex, TicketPurpose.REBIND);
    trail.until(() -> realm.requiredActions(rex.userId()).contains("CONFIGURE_TOTP"), "rex's re-bind action");
    open.put(rex, realm.describe(rex.userId()));

    for (Person p : List.of(una, rita, rex)) {
      trail.until(() -> realm.requiredActions(p.userId()).isEmpty(), "the expiry of " + p.subject() + "'s ticket");
    }
    report("2a ONBOARDING ticket unused", una, before.get(una), "open: " + open.get(una), realm.describe(una.userId()));
    report("2b RECOVERY ticket unused", rita, before.get(rita), "open: " + open.get(rita), realm.describe(rita.userId()));
    report("2c REBIND ticket (device loss) unused", rex, before.get(rex), "open: " + open.get(rex), realm.describe(rex.userId()));

    assertThat(Duration.between(onboarding.getTicket().getNotBefore(), onboarding.getTicket().getExpiresAt()))
        .isEqualTo(ONBOARDING_LIFETIME);
    assertThat(Duration.between(recovery.getTicket().getNotBefore(), recovery.getTicket().getExpiresAt()))
        .isEqualTo(RECOVERY_LIFETIME);
    assertThat(Duration.between(rebind.getTicket().getNotBefore(), rebind.getTicket().getExpiresAt()))
        .isEqualTo(LOSS_TICKET_LIFETIME);
    // Every issuer closes its own unused ticket at expiry, and the gateway applied it.
    assertClosedAtExpiry(Topics.COMMANDS_JOINER, una, onboarding, "enrollment.ticket.expired");
    assertClosedAtExpiry(Topics.COMMANDS_RECOVERY, rita, recovery, "recovery.ticket.expired");
    assertClosedAtExpiry(Topics.COMMANDS_MOVER, rex, rebind, "mover.ticket.expired");
    assertThat(credentialTypes(una)).containsExactly("password");
    assertThat(credentialTypes(rita)).containsExactly("password");
    // The lost phone took the OTP app (no device named for it); the hardware key stays.
    assertThat(realm.credentialIds(rex.userId(), "otp")).isEmpty();
    assertThat(credentialTypes(rex)).containsExactlyInAnyOrder("password", "webauthn-passwordless");
    assertThat(key.getTicketId()).isNull();
    assertThat(commandOf(Topics.COMMANDS_MOVER, rex, CommandAction.REVOKE_AUTHENTICATOR).getAuthenticatorId()).isEqualTo(otp);
  }

  /** Flow 3: a privileged mover's OTP goes after the grace; the hardware passkey bound under the REBIND ticket stays. */
  @Test
  @Order(3)
  void aPrivilegedMoversOtpIsRevokedAfterTheGraceAndThePasskeyBoundUnderTheRebindTicketStays() throws Exception {
    assumeBrowser();
    Person vera = person("vera");
    String otpSecret = enrolledWithTotp(vera);
    String otp = realm.credentialIds(vera.userId(), "otp").get(0);
    String before = realm.describe(vera.userId());
    String open;
    AuthenticatorCommand rebind;
    // Chromium starts before the move: the grace is short, and the user signs in with the OTP app to add the key.
    try (WebAuthnBrowser browser = new WebAuthnBrowser()) {
      // The privileged role needs IAL3 identity: the move carries that verification, so its REBIND ticket follows.
      kafka.produce(Topics.HR_WORKER_EVENTS, vera.subject(), WorkerEvent.newBuilder(existing(vera.subject(), "domain-admin", true))
          .setIdentityVerification(verification(vera.subject() + "-ial3", IdentityAssuranceLevel.IAL3)).build());
      rebind = ticketOf(Topics.COMMANDS_MOVER, vera, TicketPurpose.REBIND);
      trail.until(() -> realm.requiredActions(vera.userId()).contains("webauthn-register-passwordless"),
          "vera's re-bind action");
      open = realm.describe(vera.userId());
      browser.registerPasskey(keycloak.port(), KeycloakRealm.NAME, KeycloakRealm.LOGIN_CLIENT, vera.subject(),
          vera.password(), otpSecret, false);
    }
    AuthenticatorBound key = boundOf(vera, FactorType.HARDWARE_PASSKEY);
    auditOf(vera, "mover.rebind.replacement-bound");
    AuditEvent raised = auditOf(vera, "mover.level.raised");
    AuthenticatorCommand revoke = trail.await(Topics.COMMANDS_MOVER, c -> c.getSubjectId().equals(vera.subject())
        && c.getAction() == CommandAction.REVOKE_AUTHENTICATOR, l -> !l.isEmpty(), "the revocation of vera's OTP").get(0);
    trail.until(() -> realm.credentialIds(vera.userId(), "otp").isEmpty(), "vera's OTP gone from Keycloak");
    String after = realm.describe(vera.userId());
    report("3 privileged mover: OTP after the grace, passkey under REBIND", vera, before, "ticket open: " + open, after);

    assertThat(rebind.getTicket().getAllowedFactorTypes())
        .containsExactly(FactorType.HARDWARE_PASSKEY, FactorType.PIV_SMART_CARD);
    assertThat(key.getTicketId()).isEqualTo(rebind.getTicket().getTicketId());
    assertThat(revoke.getAuthenticatorId()).isEqualTo(otp);
    assertThat(revoke.getEventTime()).isAfterOrEqualTo(raised.getEventTime().plus(GRACE).minusSeconds(1));
    assertThat(commandsAbout(vera)).filteredOn(c -> c.getAction() == CommandAction.REVOKE_AUTHENTICATOR)
        .extracting(AuthenticatorCommand::getAuthenticatorId).containsExactly(otp);
    assertThat(commandsAbout(vera)).anyMatch(c -> c.getAction() == CommandAction.INVALIDATE_TICKET
        && c.getTicket().getTicketId().equals(rebind.getTicket().getTicketId()));
    assertThat(credentialTypes(vera)).containsExactlyInAnyOrder("password", "webauthn-passwordless");
    assertThat(realm.credentialIds(vera.userId(), "webauthn-passwordless")).containsExactly(key.getAuthenticatorId());
    assertThat(realm.requiredActions(vera.userId())).isEmpty();
  }

  /** Flow 4: a lost phone no factor is linked to: the OTP app it may hold is gone, sessions end, the owner is told just that. */
  @Test
  @Order(4)
  void aLostPhoneTakesTheOtpAppAndTheSessionsAndTheOwnerIsToldExactlyWhatWasAsked() throws Exception {
    Person otto = person("otto");
    enrolledWithTotp(otto);
    String otp = realm.credentialIds(otto.userId(), "otp").get(0);
    int sessionsBefore = realm.sessions(otto.userId());
    String before = realm.describe(otto.userId());

    kafka.produce(Topics.MDM_DEVICE_EVENTS, "otto-phone-" + RUN, lost(otto.subject(), "otto-phone-" + RUN));
    trail.until(() -> realm.credentialIds(otto.userId(), "otp").isEmpty() && realm.sessions(otto.userId()) == 0,
        "otto's OTP and sessions gone from Keycloak");
    SubjectNotification told = notificationOf(otto, "device.lost");
    AuditEvent loss = auditOf(otto, "mover.device.lost");
    RecoveryRequest recovery = trail.await(Topics.SYSTEM_REQUESTS, r -> r.getSubjectId().equals(otto.subject()),
        l -> !l.isEmpty(), "otto's recovery request").get(0);
    // The recovery worker takes the mover's request up: a case that waits for identity proofing.
    AuditEvent waiting = auditOf(otto, "recovery.proofing.requested");
    String after = realm.describe(otto.userId());
    report("4 MDM LOST, no factor linked: default rule", otto, before, "told: " + told.getMessage(), after);

    assertThat(sessionsBefore).as("the session the OTP set-up left").isPositive();
    assertThat(commandsAbout(otto)).filteredOn(c -> c.getAction() == CommandAction.REVOKE_AUTHENTICATOR)
        .extracting(AuthenticatorCommand::getAuthenticatorId).containsExactly(otp);
    assertThat(commandsAbout(otto)).anyMatch(c -> c.getAction() == CommandAction.TERMINATE_SESSIONS);
    assertThat(loss.getDetails()).containsEntry("attribution", "none: unattributed-kinds rule");
    // The truth: the one factor named was asked to go and is gone; nothing else was claimed.
    assertThat(told.getMessage()).contains("(OTP_APP)").contains("sessions");
    assertThat(told.getChannels()).isNotEmpty().doesNotContain(Channel.PUSH, Channel.SMS);
    assertThat(credentialTypes(otto)).containsExactly("password");
    assertThat(realm.enabled(otto.userId())).isTrue();
    // Nothing left meets the level: re-binding goes through recovery.
    assertThat(recovery.getReason()).isEqualTo(RecoveryReason.DEVICE_LOST);
    assertThat(recovery.getLostAuthenticatorIds()).containsExactly(otp);
    assertThat(waiting.getDetails()).containsEntry("requestId", recovery.getRequestId());
  }

  /** Flow 5: a leaver is locked out of Keycloak; the case completes only once both commands are confirmed. */
  @Test
  @Order(5)
  void aLeaverIsLockedOutOfKeycloakAndCompletesOnlyAfterBothConfirmations() throws Exception {
    Person leo = person("leo");
    enrolledWithTotp(leo);
    String before = realm.describe(leo.userId());

    kafka.produce(Topics.HR_WORKER_EVENTS, leo.subject(), leaver(leo.subject()));
    AuditEvent completed = auditOf(leo, "leaver.completed");
    trail.until(() -> !realm.enabled(leo.userId()) && realm.credentials(leo.userId()).isEmpty()
        && realm.sessions(leo.userId()) == 0, "leo locked out of Keycloak");
    String after = realm.describe(leo.userId());
    report("5 leaver (Keycloak adapter)", leo, before, "", after);

    List<AuthenticatorCommand> commands = commandsAbout(leo);
    String revokeAll = commandId(commands, CommandAction.REVOKE_ALL);
    String sessions = commandId(commands, CommandAction.TERMINATE_SESSIONS);
    List<SpecificRecord> facts = factsAbout(leo);
    int completing = indexOf(facts, f -> eventId(f).equals(completed.getCausationId()));
    int sessionsConfirmed = indexOf(facts, f -> f instanceof CommandApplied a && a.getCommandId().equals(sessions) && !a.getDryRun());
    int revokeAllConfirmed = indexOf(facts, f -> f instanceof CommandApplied a && a.getCommandId().equals(revokeAll) && !a.getDryRun()
        || f instanceof AuthenticatorRevoked r && revokeAll.equals(r.getCommandId()));
    assertThat(completing).as("the fact that completed the case").isNotNegative();
    assertThat(sessionsConfirmed).as("TERMINATE_SESSIONS confirmed").isNotNegative().isLessThanOrEqualTo(completing);
    assertThat(revokeAllConfirmed).as("REVOKE_ALL confirmed").isNotNegative().isLessThanOrEqualTo(completing);
    assertThat(auditsAbout(leo)).filteredOn(a -> a.getAction().equals("leaver.completed")).hasSize(1);
    assertThat(realm.enabled(leo.userId())).isFalse();
    assertThat(realm.credentials(leo.userId())).isEmpty();
    assertThat(realm.sessions(leo.userId())).isZero();
  }

  /** Flow 6: the same leaver with the dry-run adapter: Keycloak unchanged, shadow reported, never completed. */
  @Test
  @Order(6)
  void theSameLeaverUnderTheDryRunAdapterChangesNothingInKeycloakAndNeverCompletes(@TempDir Path dir) throws Exception {
    String subject = "lea-" + RUN;
    // An administrator asked for an OTP app; lea sets it up on Keycloak's pages (no gateway in this broker changes Keycloak).
    String user = realm.addUser(subject, subject, "pw-" + subject, 0, List.of("CONFIGURE_TOTP"));
    realm.enrollTotp(subject, "pw-" + subject);
    String before = realm.describe(user);

    try (KafkaTestCluster shadow = KafkaTestCluster.start()) {
      Trail shadowTrail = new Trail(shadow.bootstrapServers(), WAIT);
      List<AutoCloseable> shadowStack = new ArrayList<>();
      try {
        for (WorkerApp app : workers(List.of("leaver-worker", "ocsf-feed"))) {
          shadowStack.add(startWorker(app, Map.of(CoreSettings.BOOTSTRAP_SERVERS.key(), shadow.bootstrapServers(),
              CoreSettings.HTTP_PORT.key(), "0", CoreSettings.APPLICATION_ID_PREFIX.key(), "kc-shadow-" + RUN,
              CoreSettings.TIMER_TICK.key(), "200ms", "leaver.confirmation-deadline", "10s"), dir.resolve(app.name())));
        }
        Map<String, String> dryRun = new HashMap<>(realm.gatewaySettings());
        dryRun.put("gateway.adapter", "dry-run");
        RunningGateway gateway = TestGateway.start(shadow.bootstrapServers(), dryRun);
        shadowStack.add(gateway);
        shadow.produce(Topics.HR_WORKER_EVENTS, subject, joiner(subject));
        shadow.produce(Topics.HR_WORKER_EVENTS, subject, leaver(subject));

        // The confirmation deadline passes: escalated, re-issued, still not completed.
        List<AuditEvent> audit = shadowTrail.await(Topics.AUDIT, a -> a.getSubjectId().equals(subject),
            as -> as.stream().anyMatch(a -> a.getAction().equals("leaver.revocation.overdue")), "the overdue leaver");
        List<CommandApplied> applied = shadowTrail.all(Topics.AUTHENTICATOR_EVENTS).stream()
            .filter(f -> f instanceof CommandApplied a && a.getSubjectId().equals(subject)).map(CommandApplied.class::cast).toList();
        List<JsonNode> ocsf = new ArrayList<>();
        for (String line : shadowTrail.await(Topics.AUDIT_OCSF, o -> o.contains(subject) && o.contains("gateway.command.shadow"),
            l -> !l.isEmpty(), "the OCSF projection of the shadow audit")) {
          ocsf.add(JSON.readTree(line));
        }
        String ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.httpPort() + "/ready")).build(), HttpResponse.BodyHandlers.ofString()).body();
        String after = realm.describe(user);
        report("6 leaver (dry-run adapter)", new Person(subject, user, ""), before, "", after);

        assertThat(after).isEqualTo(before);
        assertThat(before).contains("enabled=true").contains("otp");
        assertThat(applied).isNotEmpty().allMatch(CommandApplied::getDryRun);
        assertThat(applied).extracting(CommandApplied::getAction).contains(CommandAction.REVOKE_ALL, CommandAction.TERMINATE_SESSIONS);
        assertThat(audit).extracting(AuditEvent::getAction)
            .contains("gateway.command.shadow", "leaver.revocation.shadow", "leaver.revocation.overdue")
            .doesNotContain("leaver.completed", "gateway.command.applied");
        assertThat(ocsf).allSatisfy(o -> {
          assertThat(o.path("status").asText()).isEqualTo("Shadow");
          assertThat(o.path("status_id").asInt()).isEqualTo(99);
        });
        assertThat(ready).contains("\"shadowMode\":true");
      } finally {
        for (int i = shadowStack.size() - 1; i >= 0; i--) {
          shadowStack.get(i).close();
        }
      }
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void everyAuditChainOnTheBrokerVerifies() {
    assertThat(new AuditTopicVerifier(SchemaCatalog.get())
        .verify(Map.of("bootstrap.servers", kafka.bootstrapServers()), Topics.AUDIT.name(), Optional.empty()).breaks())
        .isEmpty();
  }

  // --- the people and their events --------------------------------------------------------------

  private static Person person(String name) throws Exception {
    String subject = name + "-" + RUN;
    return new Person(subject, realm.addUser(subject, subject, "pw-" + subject, 0, List.of()), "pw-" + subject);
  }

  /** A verified joiner whose onboarding TOTP was registered on Keycloak's pages and accepted; returns the app's secret. */
  private static String enrolledWithTotp(Person p) throws Exception {
    kafka.produce(Topics.HR_WORKER_EVENTS, p.subject(), joiner(p.subject()));
    trail.until(() -> realm.requiredActions(p.userId()).contains("CONFIGURE_TOTP"), p.subject() + "'s onboarding action");
    String secret = realm.enrollTotp(p.subject(), p.password());
    auditOf(p, "enrollment.factor.bound");
    return secret;
  }

  private static WorkerEvent joiner(String subject) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return WorkerEvent.newBuilder().setEventId("hr-" + subject + "-joiner").setEventTime(now).setType(WorkerEventType.JOINER)
        .setSubjectId(subject).setIdentityType(IdentityType.HUMAN).setRole("engineer").setEffectiveTime(now)
        .setIdentityVerification(verification(subject, IdentityAssuranceLevel.IAL2))
        .setManagerId("mgr-olga").setChannels(List.of(Channel.WORK_EMAIL, Channel.PUSH)).setSource("workday").build();
  }

  private static IdentityVerification verification(String id, IdentityAssuranceLevel level) {
    return IdentityVerification.newBuilder().setVerificationId("iv-" + id).setMethod(VerificationMethod.IN_PERSON_PROOFING)
        .setLevel(level).setVerifiedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofDays(1)))
        .setVerifier("hr-desk-3").build();
  }

  /** An HR record of someone already employed (a move, or the first record the workers see of them). */
  private static WorkerEvent existing(String subject, String role, boolean privileged) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return WorkerEvent.newBuilder().setEventId("hr-" + subject + "-" + role).setEventTime(now).setType(WorkerEventType.MOVER)
        .setSubjectId(subject).setIdentityType(IdentityType.HUMAN).setRole(role).setPrivileged(privileged)
        .setEffectiveTime(now).setManagerId("mgr-olga").setChannels(List.of(Channel.WORK_EMAIL, Channel.PERSONAL_EMAIL))
        .setSource("workday").build();
  }

  private static WorkerEvent leaver(String subject) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return WorkerEvent.newBuilder().setEventId("hr-" + subject + "-leaver").setEventTime(now).setType(WorkerEventType.LEAVER)
        .setSubjectId(subject).setIdentityType(IdentityType.HUMAN).setRole("engineer").setEffectiveTime(now)
        .setImmediate(true).setManagerId("mgr-olga").setSource("workday").build();
  }

  private static DeviceEvent lost(String owner, String deviceId) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return DeviceEvent.newBuilder().setEventId("mdm-" + deviceId + "-lost").setEventTime(now).setDeviceId(deviceId)
        .setOwnerSubjectId(owner).setType(DeviceEventType.LOST).setReason("reported lost on a train").setSource("intune").build();
  }


  // --- what the workers and the gateway committed -----------------------------------------------

  private static AuthenticatorCommand ticketOf(TopicSpec<AuthenticatorCommand> topic, Person p, TicketPurpose purpose) {
    return trail.await(topic, c -> c.getSubjectId().equals(p.subject()) && c.getAction() == CommandAction.ISSUE_ENROLLMENT_TICKET
        && c.getTicket().getPurpose() == purpose, l -> !l.isEmpty(), "a " + purpose + " ticket for " + p.subject()).get(0);
  }

  private static AuthenticatorCommand commandOf(TopicSpec<AuthenticatorCommand> topic, Person p, CommandAction action) {
    return trail.await(topic, c -> c.getSubjectId().equals(p.subject()) && c.getAction() == action, l -> !l.isEmpty(),
        action + " for " + p.subject()).get(0);
  }

  private static List<AuthenticatorCommand> commandsAbout(Person p) {
    return trail.all(Topics.COMMANDS_ALL).stream().filter(c -> c.getSubjectId().equals(p.subject())).toList();
  }

  private static String commandId(List<AuthenticatorCommand> commands, CommandAction action) {
    return commands.stream().filter(c -> c.getAction() == action).findFirst().orElseThrow(() ->
        new AssertionError("no " + action + " in " + commands)).getCommandId();
  }

  private static CommandApplied appliedOf(AuthenticatorCommand command) {
    return (CommandApplied) trail.await(Topics.AUTHENTICATOR_EVENTS,
        f -> f instanceof CommandApplied a && a.getCommandId().equals(command.getCommandId()), l -> !l.isEmpty(),
        "the gateway applying " + command.getAction() + " " + command.getCommandId()).get(0);
  }

  private static AuthenticatorBound boundOf(Person p, FactorType type) {
    return (AuthenticatorBound) trail.await(Topics.AUTHENTICATOR_EVENTS, f -> f instanceof AuthenticatorBound b
        && b.getSubjectId().equals(p.subject()) && b.getFactorType() == type, l -> !l.isEmpty(),
        "a " + type + " bound to " + p.subject()).get(0);
  }

  private static List<SpecificRecord> factsAbout(Person p) {
    return trail.all(Topics.AUTHENTICATOR_EVENTS).stream()
        .filter(f -> p.subject().equals(String.valueOf(f.get(f.getSchema().getField("subjectId").pos())))).toList();
  }

  private static AuditEvent auditOf(Person p, String action) {
    return trail.await(Topics.AUDIT, a -> a.getSubjectId().equals(p.subject()) && a.getAction().equals(action),
        l -> !l.isEmpty(), "audit " + action + " of " + p.subject()).get(0);
  }

  private static List<AuditEvent> auditsAbout(Person p) {
    return trail.all(Topics.AUDIT).stream().filter(a -> a.getSubjectId().equals(p.subject())).toList();
  }

  private static SubjectNotification notificationOf(Person p, String topic) {
    return trail.await(Topics.NOTIFICATIONS, n -> n.getSubjectId().equals(p.subject()) && n.getTopic().equals(topic)
        && n.getRecipient() == RecipientRole.SUBJECT, l -> !l.isEmpty(), "notification " + topic + " to " + p.subject()).get(0);
  }

  /** The issuer closed the unused ticket at its expiry (audited), and the gateway applied the close. */
  private static void assertClosedAtExpiry(TopicSpec<AuthenticatorCommand> topic, Person p, AuthenticatorCommand ticket,
      String expiredAction) {
    auditOf(p, expiredAction);
    AuthenticatorCommand close = trail.await(topic, c -> c.getSubjectId().equals(p.subject())
        && c.getAction() == CommandAction.INVALIDATE_TICKET && c.getTicket() != null
        && c.getTicket().getTicketId().equals(ticket.getTicket().getTicketId()), l -> !l.isEmpty(),
        "the issuer closing " + ticket.getTicket().getTicketId()).get(0);
    assertThat(close.getEventTime()).isAfterOrEqualTo(ticket.getTicket().getExpiresAt());
    assertThat(appliedOf(close).getDryRun()).isFalse();
  }

  private static List<String> credentialTypes(Person p) throws Exception {
    return realm.credentials(p.userId()).stream().map(c -> c.path("type").asText()).toList();
  }

  private static String eventId(SpecificRecord fact) {
    return String.valueOf(fact.get(fact.getSchema().getField("eventId").pos()));
  }

  private static <T> int indexOf(List<T> list, Predicate<T> which) {
    for (int i = 0; i < list.size(); i++) {
      if (which.test(list.get(i))) {
        return i;
      }
    }
    return -1;
  }

  // --- the stack -------------------------------------------------------------------------------

  /** Every worker on the class path (as the local stack finds them), each its own Streams client; returns their names. */
  private static List<String> startEveryWorker(Map<String, String> settings, Path state) throws InterruptedException {
    List<String> names = new ArrayList<>();
    for (WorkerApp app : ServiceLoader.load(WorkerApp.class)) {
      running.add(startWorker(app, settings, state.resolve(app.name())));
      names.add(app.name());
    }
    return names;
  }

  private static List<WorkerApp> workers(List<String> names) {
    return ServiceLoader.load(WorkerApp.class).stream().map(ServiceLoader.Provider::get)
        .filter(a -> names.contains(a.name())).toList();
  }

  private static RunningWorker startWorker(WorkerApp app, Map<String, String> settings, Path state) throws InterruptedException {
    Map<String, String> all = new HashMap<>(settings);
    all.put(CoreSettings.STATE_DIR.key(), state.toString());
    RunningWorker worker = WorkerRunner.start(app, WorkerRunner.settings(app, Optional.empty(), all));
    if (!worker.awaitRunning(WAIT)) {
      worker.close();
      throw new IllegalStateException(app.name() + " did not reach RUNNING (state " + worker.state() + ")");
    }
    return worker;
  }

  private static void assumeBrowser() {
    Optional<String> missing = WebAuthnBrowser.unavailableReason();
    if (missing.isPresent()) {
      System.out.println("SKIPPED passkey flow: " + missing.get());
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> missing.orElse(""));
  }

  private static void report(String flow, Person p, String before, String between, String after) {
    String line = "FLOW " + flow + " [" + p.subject() + "]: before {" + before + "}"
        + (between.isEmpty() ? "" : " " + between) + " -> after {" + after + "}";
    System.out.println(line);
    FLOWS.add(line);
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + "s";
  }

  private static String cli(Callable<Integer> command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    assertThat(exit).as("exit of %s: %s", List.of(args), err).isZero();
    return out.toString();
  }
}
