package io.authlifecycle.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryEvidence;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.PersonKeyFile;
import io.authlifecycle.core.approvals.RequestSigner;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.runtime.WorkerRunner;
import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.ctl.LifecycleCtl;
import io.authlifecycle.recovery.RecoveryWorker;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The console in real browsers against a real broker and the real recovery worker: three people
 * enroll passkeys through single-use links; an agent opens a request for a privileged subject in
 * the console, signed by the agent's passkey; two approvers approve it in their own browsers, and after the (shortened)
 * cooling-off the worker issues the RECOVERY ticket command. Along the way: the requester is not
 * offered the request and a crafted POST is refused and audited; an assertion from another
 * approver's authenticator, one replayed to a second case, and a stolen cookie without an
 * assertion decide nothing.
 */
class ApproverConsoleBrowserIT {

  private static final String SECRET = "enroll-secret-for-the-browser-test-0123456789";
  private static final Path SHOTS = Path.of("target", "console-screenshots");

  @Test
  void twoApproversApproveInTheirBrowsersAndTheTicketIsIssued(@TempDir Path dir) throws Exception {
    Optional<String> unavailable = ConsoleBrowser.unavailableReason();
    assumeTrue(unavailable.isEmpty(), () -> "browser test skipped: " + unavailable.orElse(""));
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String origin = "http://localhost:" + port;
    Path secretFile = java.nio.file.Files.writeString(dir.resolve("enroll-secret"), SECRET);
    PersonKeyFile agentKey = PersonKeyFile.generate(new Person("hd-1", "E2001"), Set.of(Role.HELP_DESK));

    try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
      Map<String, String> common = new HashMap<>();
      common.put(CoreSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
      common.put("webauthn.rp-id", "localhost");
      common.put("webauthn.origins", origin);
      Map<String, String> consoleConfig = new HashMap<>(common);
      consoleConfig.put(CoreSettings.HTTP_PORT.key(), String.valueOf(port));
      consoleConfig.put("console.enroll.secret", SECRET);
      consoleConfig.put("console.data-dir", dir.resolve("console").toString());
      consoleConfig.put("person.keys", agentKey.registryEntry());
      Settings consoleSettings = Settings.load(ApproverConsole.allSettings(), Optional.empty(), Map.of(), consoleConfig);

      try (ApproverConsole.Running console = new ApproverConsole().launch(consoleSettings);
          ConsoleBrowser ap1 = new ConsoleBrowser(origin);
          ConsoleBrowser ap2 = new ConsoleBrowser(origin);
          ConsoleBrowser agent = new ConsoleBrowser(origin)) {
        // Enrollment: each person follows their single-use link; the console prints the person.keys line.
        String ap1Entry = ap1.enroll(link(secretFile, origin, "ap-1", "E1001", "APPROVER"));
        String ap2Entry = ap2.enroll(link(secretFile, origin, "ap-2", "E1002", "APPROVER"));
        String agentLink = link(secretFile, origin, "hd-1", "E2001", "HELP_DESK,APPROVER");
        String agentEntry = agent.enroll(agentLink);
        assertThat(ap1Entry).startsWith("ap-1:E1001:APPROVER:WEBAUTHN:");
        agent.driver.get(agentLink);
        assertThat(agent.driver.getPageSource()).contains("already used");

        // The operators register the passkeys with the recovery worker, which verifies them for the console's origin.
        Map<String, String> workerConfig = new HashMap<>(common);
        workerConfig.put(CoreSettings.STATE_DIR.key(), dir.resolve("worker").toString());
        workerConfig.put(CoreSettings.HTTP_PORT.key(), "0");
        workerConfig.put(CoreSettings.TIMER_TICK.key(), "200ms");
        workerConfig.put("recovery.cooling-off.privileged", "2s");
        workerConfig.put("person.keys", String.join(",", agentKey.registryEntry(), ap1Entry, ap2Entry, agentEntry));
        RecoveryWorker app = new RecoveryWorker();
        try (RunningWorker worker = WorkerRunner.start(app, WorkerRunner.settings(app, Optional.empty(), workerConfig))) {
          assertThat(worker.awaitRunning(Duration.ofSeconds(60))).isTrue();
          for (String subject : List.of("root-ann", "root-bob")) {
            kafka.produce(Topics.HR_WORKER_EVENTS, subject, joiner(subject));
          }
          Thread.sleep(500);
          kafka.produce(Topics.RECOVERY_REQUESTS, "root-bob", request(agentKey, "root-bob", "r-bob-1"));

          ap1.signIn();
          ap2.signIn();
          agent.signIn();

          // The agent opens root-ann's request in the console: the agent's passkey signs it.
          agent.open("/requests/new");
          agent.waitFor(By.id("subjectId")).sendKeys("root-ann");
          agent.driver.executeScript("document.getElementById('method').value = 'IDENTITY_PROOFING';"
              + "document.getElementById('level').value = 'IAL3';");
          agent.driver.findElement(By.id("reference")).sendKeys("proof-ann-1");
          agent.driver.findElement(By.id("lost")).sendKeys("lost-key-1");
          agent.driver.findElement(By.id("comment")).sendKeys("called back on the number HR has");
          agent.driver.findElement(By.id("send-request")).click();
          String sent = agent.until(d -> {
            String status = d.findElement(By.id("status")).getText();
            return status.contains("signed and sent") || status.contains("rror") || status.contains("not") ? status : null;
          }, Duration.ofSeconds(20));
          Matcher requestId = Pattern.compile("Request (con-[A-Za-z0-9_-]+) signed and sent").matcher(sent);
          assertThat(requestId.find()).as(sent).isTrue();
          String ann = requestId.group(1);

          ap1.waitForRow(ann);
          ap1.waitForRow("r-bob-1");

          // The session cookie is Secure, HttpOnly and SameSite=Strict; pages allow no inline script.
          org.openqa.selenium.Cookie cookie = ap1.driver.manage().getCookieNamed(ConsoleServer.COOKIE);
          assertThat(cookie.isHttpOnly()).isTrue();
          assertThat(cookie.isSecure()).isTrue();
          assertThat(cookie.getSameSite()).isEqualTo("Strict");
          assertSafetyHeadersAndRefusals(origin, ap1.cookie());

          // The requester sees the request as not offered, and a crafted POST is refused.
          assertThat(agent.waitForRow(ann).getText()).contains("not offered: you made this request");
          agent.screenshot(SHOTS.resolve("waiting-list-of-the-requester.png"));
          Map<String, Object> crafted = agent.call("return await approverConsole.post('/api/decide/options', "
              + "{subjectId: 'root-ann', requestId: args[0], decision: 'APPROVE'});", ann);
          assertThat(crafted).containsEntry("ok", false);
          assertThat((String) crafted.get("error")).contains("you made this request");

          // A replay: ap-1's assertion over root-ann's case offered for case r-bob-1.
          ap1.open("/requests/root-ann/" + ann);
          Map<String, Object> replay = ap1.call("const first = await approverConsole.post('/api/decide/options', "
              + "{subjectId: 'root-ann', requestId: args[0], decision: 'APPROVE'});"
              + "const signed = await approverConsole.assertion(first);"
              + "const second = await approverConsole.post('/api/decide/options', "
              + "{subjectId: 'root-bob', requestId: 'r-bob-1', decision: 'APPROVE'});"
              + "signed.ceremony = second.ceremony;"
              + "return await approverConsole.post('/api/decide/finish', signed);", ann);
          assertThat(replay).containsEntry("ok", false);
          assertThat((String) replay.get("error")).contains("does not sign this decision");

          // Another approver's authenticator: ap-1's passkey answers ap-2's challenge, posted in ap-2's session.
          ap2.open("/requests/root-bob/r-bob-1");
          Map<String, Object> started = ap2.call("return await approverConsole.post('/api/decide/options', "
              + "{subjectId: 'root-bob', requestId: 'r-bob-1', decision: 'APPROVE'});");
          assertThat(started).as("ap-2 starts a decision on r-bob-1").containsEntry("ok", true);
          @SuppressWarnings("unchecked")
          Map<String, Object> options = (Map<String, Object>) started.get("value");
          @SuppressWarnings("unchecked")
          Map<String, Object> foreign = (Map<String, Object>) ap1.call("return await approverConsole.assertion("
              + "{ceremony: args[0], challenge: args[1], rpId: 'localhost', allow: []});", options.get("ceremony"),
              options.get("challenge")).get("value");
          Map<String, Object> other = ap2.call("return await approverConsole.post('/api/decide/finish', args[0]);", foreign);
          assertThat(other).containsEntry("ok", false);
          assertThat((String) other.get("error")).contains("a passkey of ap-1, not of the signed-in ap-2");

          // A stolen cookie (and the CSRF token scraped with it) without an assertion decides nothing.
          assertThat(stolenCookieDecision(origin, ap2.cookie())).isEqualTo(403);

          // Two approvers approve the privileged subject's request, each with a fresh assertion.
          for (ConsoleBrowser approver : List.of(ap1, ap2)) {
            approver.open("/requests/root-ann/" + ann);
            approver.waitFor(By.id("approve")).click();
            approver.driver.findElement(By.id("status"));
            approver.until(d -> d.findElement(By.id("status")).getText().contains("signed and sent") ? true : null,
                Duration.ofSeconds(20));
          }

          List<AuthenticatorCommand> commands = kafka.readCommitted(Topics.COMMANDS_RECOVERY, c -> c.stream()
              .anyMatch(x -> x.getAction() == CommandAction.ISSUE_ENROLLMENT_TICKET), Duration.ofSeconds(30));
          AuthenticatorCommand ticket = commands.stream().filter(x -> x.getAction() == CommandAction.ISSUE_ENROLLMENT_TICKET)
              .findFirst().orElseThrow();
          assertThat(ticket.getSubjectId()).isEqualTo("root-ann");
          assertThat(ticket.getTicket()).isNotNull();
          assertThat(commands).extracting(AuthenticatorCommand::getSubjectId).containsOnly("root-ann");

          ap1.open("/requests");
          ap1.screenshot(SHOTS.resolve("waiting-list.png"));
          ap2.open("/requests/root-bob/r-bob-1");
          ap2.screenshot(SHOTS.resolve("request-page.png"));
          String facts = ap2.driver.findElement(By.id("facts")).getText();
          assertThat(facts).contains("HR role domain-admin", "IDENTITY_PROOFING proof-r-bob-1 IAL3",
              "factors reported lost lost-key-1", "requester hd-1, HR subject E2001");

          List<AuditEvent> audit = kafka.readCommitted(Topics.AUDIT, a -> a.stream()
              .anyMatch(e -> e.getAction().equals("recovery.completed")),
              Duration.ofSeconds(30));
          List<String> console1 = actions(audit, "approver-console");
          assertThat(console1).contains("console.passkey.enrolled", "console.signed-in", "console.subject.viewed",
              "console.request.sent", "console.decision.sent");
          assertThat(console1.stream().filter("console.decision.refused"::equals).count()).isGreaterThanOrEqualTo(4);
          List<String> counted = audit.stream().filter(e -> e.getAction().equals("approval.counted"))
              .map(e -> e.getSubjectId() + ":" + e.getDetails().get("approverId")).toList();
          assertThat(counted).containsExactlyInAnyOrder("root-ann:ap-1", "root-ann:ap-2");
          assertThat(audit).extracting(AuditEvent::getAction).contains("recovery.approved");
        }
      }
    }
  }

  /** The operator's {@code lifectl console enroll-link}: the single-use link a person enrolls through. */
  private static String link(Path secretFile, String origin, String personId, String hrSubjectId, String roles) {
    java.io.StringWriter out = new java.io.StringWriter();
    picocli.CommandLine cli = LifecycleCtl.commandLine();
    cli.setOut(new java.io.PrintWriter(out, true));
    int code = cli.execute("console", "enroll-link", "--person", personId, "--hr-subject", hrSubjectId, "--roles", roles,
        "--console-url", origin, "--secret-file", secretFile.toString(), "--valid-for", "PT10M");
    assertThat(code).isZero();
    return out.toString().strip();
  }

  /** CSP on every page; a POST from another origin, or without the session's CSRF token, is refused. */
  private static void assertSafetyHeadersAndRefusals(String origin, String cookie) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    assertThat(http.send(HttpRequest.newBuilder(URI.create(origin + "/ready")).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).as("ready once it reads the approval requests").isEqualTo(200);
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(origin + "/signin")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
        assertThat(csp).startsWith("default-src 'self'").doesNotContain("unsafe-inline"));
    assertThat(page.body()).doesNotContain("<script>").contains("<script src=\"/static/console.js\"");
    String body = "{\"subjectId\":\"root-bob\",\"requestId\":\"r-bob-1\",\"decision\":\"APPROVE\"}";
    HttpResponse<String> crossSite = http.send(HttpRequest.newBuilder(URI.create(origin + "/api/decide/options"))
        .header("Cookie", ConsoleServer.COOKIE + "=" + cookie).header("Origin", "https://evil.example.test")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(post(http, origin, cookie, "not-the-token", "/api/decide/options", body).statusCode()).isEqualTo(403);
  }

  /** A thief with the session cookie: reads the CSRF token from a page, starts a decision, has no assertion to finish it. */
  private static int stolenCookieDecision(String origin, String cookie) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String page = http.send(HttpRequest.newBuilder(URI.create(origin + "/requests/root-bob/r-bob-1"))
        .header("Cookie", ConsoleServer.COOKIE + "=" + cookie).build(), HttpResponse.BodyHandlers.ofString()).body();
    Matcher csrf = Pattern.compile("name=\"csrf\" content=\"([^\"]+)\"").matcher(page);
    assertThat(csrf.find()).isTrue();
    HttpResponse<String> options = post(http, origin, cookie, csrf.group(1), "/api/decide/options",
        "{\"subjectId\":\"root-bob\",\"requestId\":\"r-bob-1\",\"decision\":\"APPROVE\"}");
    assertThat(options.statusCode()).isEqualTo(200);
    Matcher ceremony = Pattern.compile("\"ceremony\":\"([^\"]+)\"").matcher(options.body());
    assertThat(ceremony.find()).isTrue();
    return post(http, origin, cookie, csrf.group(1), "/api/decide/finish", "{\"ceremony\":\"" + ceremony.group(1)
        + "\",\"id\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"clientDataJSON\":\"e30\",\"authenticatorData\":\"AA\",\"signature\":\"AA\"}")
        .statusCode();
  }

  private static HttpResponse<String> post(HttpClient http, String origin, String cookie, String csrf, String path, String body)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(origin + path)).header("Cookie", ConsoleServer.COOKIE + "=" + cookie)
        .header("Origin", origin).header("X-CSRF-Token", csrf).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> actions(List<AuditEvent> audit, String worker) {
    List<String> out = new ArrayList<>();
    audit.stream().filter(e -> e.getWorker().equals(worker)).forEach(e -> out.add(e.getAction()));
    return out;
  }

  private static WorkerEvent joiner(String subjectId) {
    Instant now = Instant.now();
    return WorkerEvent.newBuilder().setEventId("hr-join-" + subjectId).setEventTime(now).setType(WorkerEventType.JOINER)
        .setSubjectId(subjectId).setIdentityType(IdentityType.HUMAN).setRole("domain-admin").setPrivileged(true)
        .setEffectiveTime(now.minusSeconds(60)).setChannels(List.of(io.authlifecycle.avro.Channel.PUSH))
        .setApprovers(List.of("mgr-9")).setManagerId("mgr-9").build();
  }

  private static RecoveryRequest request(PersonKeyFile agent, String subjectId, String requestId) {
    Instant now = Instant.now();
    return RequestSigner.sign(RecoveryRequest.newBuilder().setEventId("ev-" + requestId).setEventTime(now)
        .setRequestId(requestId).setKind(RecoveryRequestKind.OPEN).setSubjectId(subjectId)
        .setChannel(RecoveryChannel.HELP_DESK).setReason(RecoveryReason.DEVICE_LOST).setRequesterId(agent.personId())
        .setEvidence(List.of(RecoveryEvidence.newBuilder().setMethod(EvidenceMethod.IDENTITY_PROOFING).setReference("proof-"
            + requestId).setLevel(IdentityAssuranceLevel.IAL3).setVerifiedAt(now).build()))
        .setLostAuthenticatorIds(List.of("lost-key-1")), agent);
  }
}
