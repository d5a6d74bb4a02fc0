package io.authlifecycle.ctl.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.Decision;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.core.approvals.ApprovalVerifier;
import io.authlifecycle.core.approvals.ApproverKeyFile;
import io.authlifecycle.core.approvals.ApproverKeyRegistry;
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
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The approver commands against a real broker, with approval requests as the recovery worker publishes them. */
class ApprovalCommandsIT {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static KafkaTestCluster kafka;
  private static Path keys;
  private static Path ap1Key;
  private static Path ap2Key;
  private static Path hdKey;
  private static ApproverKeyRegistry registry;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void brokerWithRequests(@TempDir Path dir) throws Exception {
    kafka = KafkaTestCluster.start();
    keys = dir;
    ap1Key = dir.resolve("ap-1.key");
    ap2Key = dir.resolve("ap-2.key");
    hdKey = dir.resolve("hd-7.key");
    ApproverKeyFile ap1 = ApproverKeyFile.generate("ap-1");
    ApproverKeyFile ap2 = ApproverKeyFile.generate("ap-2");
    ap1.writeNew(ap1Key);
    ap2.writeNew(ap2Key);
    ApproverKeyFile.generate("hd-7").writeNew(hdKey);
    registry = ApproverKeyRegistry.parse(List.of(ap1.registryEntry(), ap2.registryEntry()));

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
    int exit = run(new ApprovalsCommand(), "list", "--bootstrap", kafka.bootstrapServers(), "--approver", "ap-1");

    assertThat(exit).isEqualTo(0);
    assertThat(out.toString()).contains("r-open").doesNotContain("r-half");
    out.getBuffer().setLength(0);
    run(new ApprovalsCommand(), "list", "--bootstrap", kafka.bootstrapServers(), "--approver", "hd-7");
    assertThat(out.toString()).isEqualTo("no open approval requests" + System.lineSeparator());
  }

  @Test
  void approveSignsTheDecisionForTheRequestsSubjectAndPublishesIt() {
    int exit = run(new ApproveCommand(CLOCK), "--request", "r-half", "--approver", "ap-2", "--key", ap2Key.toString(),
        "--comment", "called the employee back", "--bootstrap", kafka.bootstrapServers());

    assertThat(exit).as(err.toString()).isEqualTo(0);
    assertThat(out.toString()).contains("published APPROVE by ap-2 on request r-half (subject bob)");
    ApprovalDecision published = decisionOf("r-half");
    assertThat(published.getSubjectId()).isEqualTo("bob");
    assertThat(published.getApproverId()).isEqualTo("ap-2");
    assertThat(published.getDecision()).isEqualTo(Decision.APPROVE);
    assertThat(published.getDecidedAt()).isEqualTo(NOW);
    assertThat(published.getComment()).isEqualTo("called the employee back");
    assertThat(new ApprovalVerifier(registry).verify(published, List.of()).verdict()).isEqualTo(ApprovalVerifier.Verdict.VALID);
  }

  @Test
  void denyPublishesASignedDeny() {
    int exit = run(new DenyCommand(CLOCK), "--request", "r-open", "--approver", "ap-1", "--key", ap1Key.toString(),
        "--bootstrap", kafka.bootstrapServers());

    assertThat(exit).as(err.toString()).isEqualTo(0);
    ApprovalDecision published = decisionOf("r-open");
    assertThat(published.getDecision()).isEqualTo(Decision.DENY);
    assertThat(new ApprovalVerifier(registry).verify(published, List.of()).verdict()).isEqualTo(ApprovalVerifier.Verdict.VALID);
  }

  @Test
  void aKeyFileOfAnotherApproverIsAClearError() {
    assertError(new ApproveCommand(CLOCK), "wrong key file: " + ap1Key + " belongs to approver ap-1, not ap-2",
        "--request", "r-open", "--approver", "ap-2", "--key", ap1Key.toString(), "--bootstrap", kafka.bootstrapServers());
  }

  @Test
  void aFileThatIsNotAKeyIsAClearError() throws Exception {
    Path notes = keys.resolve("notes.txt");
    Files.writeString(notes, "password=hunter2\n");
    assertError(new ApproveCommand(CLOCK), "wrong key file: " + notes + " is not an approver key file",
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
        "--request", "r-open", "--approver", "hd-7", "--key", hdKey.toString(), "--bootstrap", kafka.bootstrapServers());
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
        .setPrivileged(true).setQuorum(2).setIneligibleApprovers(List.of(subject, "hd-7")).setDeadline(deadline)
        .setPolicyRef("NIST CSF 2.0 PR.AA-05").setStatus(status).setApprovedBy(approvedBy).build();
  }
}
