package io.authlifecycle.ctl.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.Decision;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryEvidence;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.core.approvals.ApprovalVerifier;
import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.PersonKeyFile;
import io.authlifecycle.core.approvals.PersonKeyRegistry;
import io.authlifecycle.core.approvals.RequestStatement;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.approvals.SignatureCheck;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The help-desk and approver commands against a real broker, with approval requests as the
 * recovery worker publishes them; signatures checked with the worker's verifier.
 */
class ApprovalCommandsIT {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static KafkaTestCluster kafka;
  private static Path keys;
  private static Path ap1Key;
  private static Path ap2Key;
  private static Path hdKey;
  private static Path hdApproverKey;
  private static SignatureCheck signatures;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void brokerWithRequests(@TempDir Path dir) throws Exception {
    kafka = KafkaTestCluster.start();
    keys = dir;
    ap1Key = dir.resolve("ap-1.key");
    ap2Key = dir.resolve("ap-2.key");
    hdKey = dir.resolve("hd-7.key");
    hdApproverKey = dir.resolve("hd-7-approver.key");
    PersonKeyFile ap1 = PersonKeyFile.generate(new Person("ap-1", "E1001"), Set.of(Role.APPROVER));
    PersonKeyFile ap2 = PersonKeyFile.generate(new Person("ap-2", "E1002"), Set.of(Role.APPROVER));
    PersonKeyFile hd = PersonKeyFile.generate(new Person("hd-7", "E2007"), Set.of(Role.HELP_DESK));
    PersonKeyFile hdApprover = PersonKeyFile.generate(new Person("hd-7", "E2007"), Set.of(Role.APPROVER));
    ap1.writeNew(ap1Key);
    ap2.writeNew(ap2Key);
    hd.writeNew(hdKey);
    hdApprover.writeNew(hdApproverKey);
    signatures = SignatureCheck.ed25519(PersonKeyRegistry.parse(List.of(ap1.registryEntry(), ap2.registryEntry(),
        hd.registryEntry(), hdApprover.registryEntry())));

    ApprovalRequested open = request("r-open", "root-ann", ApprovalStatus.OPEN, NOW.plus(Duration.ofHours(4)), List.of());
    kafka.produce(Topics.APPROVAL_REQUESTS, "root-ann", open);
    kafka.produce(Topics.APPROVAL_REQUESTS, "bob", request("r-half", "bob", ApprovalStatus.OPEN, NOW.plus(Duration.ofHours(3)), List.of("ap-1")));
    kafka.produce(Topics.APPROVAL_REQUESTS, "carol", request("r-denied", "carol", ApprovalStatus.OPEN, NOW.plus(Duration.ofHours(4)), List.of()));
    kafka.produce(Topics.APPROVAL_REQUESTS, "carol", request("r-denied", "carol", ApprovalStatus.DENIED, NOW.plus(Duration.ofHours(4)), List.of()));
    kafka.produce(Topics.APPROVAL_REQUESTS, "dave", request("r-late", "dave", ApprovalStatus.OPEN, NOW.minus(Duration.ofMinutes(1)), List.of()));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    kafka.close();
  }

  @Test
  void listShowsOnlyRequestsStillOpenForDecisions() {
    int exit = run(new ApprovalsCommand(), "list", "--bootstrap", kafka.bootstrapServers());

    assertThat(exit).as(err.toString()).isEqualTo(0);
    String listing = out.toString();
    assertThat(listing).contains("REQUEST").contains("r-open").contains("r-half").contains("1/2").contains("ap-1")
        .doesNotContain("r-denied").doesNotContain("r-late");
    assertThat(listing.indexOf("r-half")).isLessThan(listing.indexOf("r-open"));
  }

  @Test
  void listForAnApproverHidesWhatTheyAlreadyApprovedOrMayNotApprove() {
    int exit = run(new ApprovalsCommand(), "list", "--bootstrap", kafka.bootstrapServers(), "--key", ap1Key.toString());

    assertThat(exit).isEqualTo(0);
    assertThat(out.toString()).contains("r-open").doesNotContain("r-half");
    out.getBuffer().setLength(0);
    run(new ApprovalsCommand(), "list", "--bootstrap", kafka.bootstrapServers(), "--key", hdApproverKey.toString());
    assertThat(out.toString()).isEqualTo("no open approval requests" + System.lineSeparator());
  }

  @Test
  void approveSignsTheDecisionForTheRequestsCaseAndPublishesIt() {
    int exit = run(new ApproveCommand(CLOCK), "--request", "r-half", "--key", ap2Key.toString(),
        "--comment", "called the employee back", "--bootstrap", kafka.bootstrapServers());

    assertThat(exit).as(err.toString()).isEqualTo(0);
    assertThat(out.toString()).contains("published APPROVE by ap-2 on request r-half (subject bob)");
    ApprovalDecision published = decisionOf("r-half");
    assertThat(published.getSubjectId()).isEqualTo("bob");
    assertThat(published.getApproverId()).isEqualTo("ap-2");
    assertThat(published.getDecision()).isEqualTo(Decision.APPROVE);
    assertThat(published.getDecidedAt()).isEqualTo(NOW);
    assertThat(published.getComment()).isEqualTo("called the employee back");
    assertThat(verdict(published, "r-half")).isEqualTo(ApprovalVerifier.Verdict.VALID);
  }

  @Test
  void denyPublishesASignedDeny() {
    int exit = run(new DenyCommand(CLOCK), "--request", "r-open", "--approver", "ap-1", "--key", ap1Key.toString(),
        "--bootstrap", kafka.bootstrapServers());

    assertThat(exit).as(err.toString()).isEqualTo(0);
    ApprovalDecision published = decisionOf("r-open");
    assertThat(published.getDecision()).isEqualTo(Decision.DENY);
    assertThat(verdict(published, "r-open")).isEqualTo(ApprovalVerifier.Verdict.VALID);
  }

  @Test
  void requestOpenPublishesARequestSignedByTheAgentWhoIsItsRequester() {
    int exit = run(new RequestOpenCommand(CLOCK), "--subject", "frank", "--key", hdKey.toString(), "--request-id", "r-frank",
        "--evidence", "IDENTITY_PROOFING:proof-88:IAL2", "--evidence", "SAVED_RECOVERY_CODE:code-1@2026-11-02T09:00:00Z",
        "--lost", "passkey-frank", "--comment", "called back on the HR number", "--bootstrap", kafka.bootstrapServers());

    assertThat(exit).as(err.toString()).isEqualTo(0);
    assertThat(out.toString().strip()).isEqualTo("r-frank");
    RecoveryRequest published = kafka.readCommitted(Topics.RECOVERY_REQUESTS,
        rs -> rs.stream().anyMatch(r -> r.getRequestId().equals("r-frank")), Duration.ofSeconds(30)).stream()
        .filter(r -> r.getRequestId().equals("r-frank")).findFirst().orElseThrow();
    assertThat(published.getChannel()).isEqualTo(RecoveryChannel.HELP_DESK);
    assertThat(published.getRequesterId()).isEqualTo("hd-7");
    assertThat(published.getSubjectId()).isEqualTo("frank");
    assertThat(published.getEventTime()).isEqualTo(NOW);
    assertThat(published.getEvidence()).containsExactly(
        RecoveryEvidence.newBuilder().setMethod(EvidenceMethod.IDENTITY_PROOFING).setReference("proof-88")
            .setLevel(IdentityAssuranceLevel.IAL2).setVerifiedAt(NOW).build(),
        RecoveryEvidence.newBuilder().setMethod(EvidenceMethod.SAVED_RECOVERY_CODE).setReference("code-1")
            .setVerifiedAt(Instant.parse("2026-11-02T09:00:00Z")).build());
    assertThat(published.getLostAuthenticatorIds()).containsExactly("passkey-frank");
    SignatureCheck.Result checked = signatures.check(published.getSignatureEnvelope(), Role.HELP_DESK,
        person -> RequestStatement.canonicalBytes(published, person.personId()));
    assertThat(checked.verdict()).isEqualTo(SignatureCheck.Verdict.VALID);
    assertThat(checked.person()).contains(new Person("hd-7", "E2007"));
  }

  @Test
  void requestOpenRefusesAnApproverKeyABadProofAndARequestForTheAgentHimself() {
    assertError(new RequestOpenCommand(CLOCK), "is a [APPROVER] key of ap-1, not a help-desk key",
        "--subject", "frank", "--key", ap1Key.toString(), "--evidence", "IDENTITY_PROOFING", "--bootstrap", kafka.bootstrapServers());
    assertError(new RequestOpenCommand(CLOCK), "--evidence PHONE_CALL: unknown method 'PHONE_CALL' (SAVED_RECOVERY_CODE",
        "--subject", "frank", "--key", hdKey.toString(), "--evidence", "PHONE_CALL", "--bootstrap", kafka.bootstrapServers());
    assertError(new RequestOpenCommand(CLOCK), "cannot open a recovery request for yourself",
        "--subject", "E2007", "--key", hdKey.toString(), "--evidence", "IDENTITY_PROOFING", "--bootstrap", kafka.bootstrapServers());
  }

  @Test
  void aKeyFileOfAnotherPersonOrAHelpDeskKeyIsAClearError() {
    assertError(new ApproveCommand(CLOCK), "wrong key file: " + ap1Key + " belongs to ap-1, not ap-2",
        "--request", "r-open", "--approver", "ap-2", "--key", ap1Key.toString(), "--bootstrap", kafka.bootstrapServers());
    assertError(new ApproveCommand(CLOCK), "is a [HELP_DESK] key of hd-7, not an approver's key",
        "--request", "r-open", "--key", hdKey.toString(), "--bootstrap", kafka.bootstrapServers());
  }

  @Test
  void aFileThatIsNotAKeyIsAClearError() throws Exception {
    Path notes = keys.resolve("notes.txt");
    Files.writeString(notes, "password=hunter2\n");
    assertError(new ApproveCommand(CLOCK), "wrong key file: " + notes + " is not a signing key file",
        "--request", "r-open", "--approver", "ap-2", "--key", notes.toString(), "--bootstrap", kafka.bootstrapServers());
    assertError(new ApproveCommand(CLOCK), "does not exist",
        "--request", "r-open", "--approver", "ap-2", "--key", keys.resolve("missing.key").toString(), "--bootstrap", kafka.bootstrapServers());
  }

  @Test
  void anUnknownRequestIsAClearError() {
    assertError(new ApproveCommand(CLOCK), "unknown request r-404",
        "--request", "r-404", "--approver", "ap-2", "--key", ap2Key.toString(), "--bootstrap", kafka.bootstrapServers());
  }

  @Test
  void aDecidedOrExpiredRequestTakesNoMoreDecisions() {
    assertError(new ApproveCommand(CLOCK), "request r-denied takes no more decisions: it is DENIED",
        "--request", "r-denied", "--approver", "ap-2", "--key", ap2Key.toString(), "--bootstrap", kafka.bootstrapServers());
    assertError(new ApproveCommand(CLOCK), "request r-late takes no more decisions: its deadline",
        "--request", "r-late", "--approver", "ap-2", "--key", ap2Key.toString(), "--bootstrap", kafka.bootstrapServers());
  }

  @Test
  void theRequesterAndARepeatApproverAreToldWhyTheyMayNotDecide() {
    assertError(new ApproveCommand(CLOCK), "hd-7 may not decide request r-open: you made the request",
        "--request", "r-open", "--key", hdApproverKey.toString(), "--bootstrap", kafka.bootstrapServers());
    assertError(new ApproveCommand(CLOCK), "ap-1 may not decide request r-half: you already approved it",
        "--request", "r-half", "--approver", "ap-1", "--key", ap1Key.toString(), "--bootstrap", kafka.bootstrapServers());
  }

  @Test
  void anUnreachableBrokerIsAClearErrorNotAHang() {
    assertError(new ApprovalsCommand(), "cannot read approval requests from localhost:1",
        "list", "--bootstrap", "localhost:1", "--timeout", "PT2S");
  }

  private void assertError(Callable<Integer> command, String message, String... args) {
    err.getBuffer().setLength(0);
    int exit = run(command, args);
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains(message);
  }

  /** The worker's verdict on a published decision, for the case as the fixture published it. */
  private static ApprovalVerifier.Verdict verdict(ApprovalDecision decision, String requestId) {
    return new ApprovalVerifier(signatures).verify(decision, new ApprovalVerifier.CaseRef(requestId, nonceOf(requestId)),
        List.of()).verdict();
  }

  private static String nonceOf(String requestId) {
    return "nonce-" + requestId;
  }

  private ApprovalDecision decisionOf(String requestId) {
    List<ApprovalDecision> decisions = kafka.readCommitted(Topics.APPROVAL_DECISIONS,
        ds -> ds.stream().anyMatch(d -> d.getRequestId().equals(requestId)), Duration.ofSeconds(30));
    return decisions.stream().filter(d -> d.getRequestId().equals(requestId)).findFirst().orElseThrow();
  }

  private int run(Callable<Integer> command, String... args) {
    return new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }

  private static ApprovalRequested request(String requestId, String subject, ApprovalStatus status, Instant deadline,
      List<String> approvedBy) {
    return ApprovalRequested.newBuilder().setEventId(requestId + "-" + status).setEventTime(NOW).setRequestId(requestId)
        .setSubjectId(subject).setRequesterId("hd-7").setChannel(RecoveryChannel.HELP_DESK).setReason(RecoveryReason.DEVICE_LOST)
        .setPrivileged(true).setQuorum(2).setIneligibleApprovers(List.of(subject, "E2007")).setDeadline(deadline)
        .setPolicyRef("NIST CSF 2.0 PR.AA-05").setStatus(status).setApprovedBy(approvedBy)
        .setNonce(nonceOf(requestId)).setOpenedAt(NOW.minus(Duration.ofMinutes(5))).setRequesterSubjectId("E2007").build();
  }
}
