package io.authlifecycle.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.testing.KafkaTestCluster;
import io.authlifecycle.core.topics.Topics;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's start-up against real brokers: what it refuses, and what a worker's own main prints. */
class LifecycleRuntimeIT {

  @TempDir
  Path dir;

  record Run(int exitCode, String out, String err) {}

  static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = LifecycleRuntime.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anUnknownComponentOrABadSettingIsAUsageErrorNamingIt() {
    Run unknown = run(Map.of(), "payroll-worker");
    Run badSetting = run(Map.of("LIFECYCLE_COMMIT_INTERVAL", "soon"), "leaver-worker");
    Run noComponent = run(Map.of());

    assertThat(unknown.exitCode()).isEqualTo(LifecycleRuntime.USAGE);
    assertThat(unknown.err()).contains("unknown component 'payroll-worker'").contains("leaver-worker").contains("idp-gateway").contains("lifecycle-ingest");
    assertThat(badSetting.exitCode()).isEqualTo(LifecycleRuntime.USAGE);
    assertThat(badSetting.err()).contains("commit.interval").contains("LIFECYCLE_COMMIT_INTERVAL");
    assertThat(noComponent.exitCode()).isEqualTo(LifecycleRuntime.USAGE);
    assertThat(noComponent.err()).startsWith("usage: lifecycle-runtime COMPONENT");
  }

  @Test
  void refusesToStartWhenATopicItNeedsIsMissingAndCreatesNone() throws Exception {
    try (KafkaTestCluster kafka = KafkaTestCluster.start(); Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.deleteTopics(List.of(Topics.APPROVAL_DECISIONS.name(), Topics.APPROVAL_REQUESTS.name())).all().get();
      awaitGone(admin, Topics.APPROVAL_DECISIONS.name());

      Run recovery = run(env(kafka), "recovery-worker");

      assertThat(recovery.exitCode()).as(recovery.err()).isEqualTo(LifecycleRuntime.NOT_READY);
      assertThat(recovery.err()).contains("recovery-worker cannot start against " + kafka.bootstrapServers())
          .contains("missing topics").contains(Topics.APPROVAL_DECISIONS.name()).contains(Topics.APPROVAL_REQUESTS.name())
          .doesNotContain("not authorized");
      assertThat(admin.listTopics().names().get()).doesNotContain(Topics.APPROVAL_DECISIONS.name(), Topics.APPROVAL_REQUESTS.name());
    }
  }

  @Test
  void refusesToStartWhenItsPrincipalMayNotReadOrDescribeATopicAndSaysWhich() throws Exception {
    // The standard authorizer; every client here is User:ANONYMOUS, denied on two topics only.
    try (KafkaTestCluster kafka = KafkaTestCluster.start(Topics.DEFAULT_PARTITIONS, Map.of(
        "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "allow.everyone.if.no.acl.found", "true"));
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createAcls(List.of(
          deny(Topics.MDM_DEVICE_EVENTS.name(), AclOperation.READ),
          deny(Topics.SYSTEM_REQUESTS.name(), AclOperation.DESCRIBE))).all().get();
      awaitDenied(kafka, Topics.SYSTEM_REQUESTS.name());

      Run mover = run(env(kafka), "mover-worker");
      TopicCheck.Outcome allowed = TopicCheck.run(Map.of("bootstrap.servers", kafka.bootstrapServers()),
          Map.of(Topics.HR_WORKER_EVENTS.name(), EnumSet.of(AclOperation.READ)), Duration.ofSeconds(30));

      assertThat(mover.exitCode()).as(mover.err()).isEqualTo(LifecycleRuntime.NOT_READY);
      assertThat(mover.err()).contains("not authorized for this component's principal")
          // Once a topic has an ACL, describing it needs an ALLOW too: both denials hide the topic.
          .contains(Topics.MDM_DEVICE_EVENTS.name() + " ([READ, DESCRIBE])")
          .contains(Topics.SYSTEM_REQUESTS.name() + " ([WRITE, DESCRIBE])")
          .doesNotContain("missing topics");
      // The denial is specific: the same principal may read the HR topic.
      assertThat(allowed.passed()).as("%s", allowed).isTrue();
    }
  }

  @Test
  void aWorkersOwnMainLogsReadableInfoLinesAndNoDebug() throws Exception {
    try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-cp", Files.readString(Path.of("target", "runtime-classpath.txt")).strip(),
          "io.authlifecycle.leaver.LeaverWorker"));
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().put("LIFECYCLE_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
      pb.environment().put("LIFECYCLE_STATE_DIR", dir.resolve("state").toString());
      pb.environment().put("LIFECYCLE_HTTP_PORT", "0");
      Process process = pb.start();
      List<String> lines = new ArrayList<>();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          lines.add(line);
          if (line.contains("state REBALANCING -> RUNNING")) {
            break;
          }
        }
      } finally {
        process.destroy();
        process.waitFor(60, TimeUnit.SECONDS);
      }

      assertThat(lines).as(String.join("\n", lines)).anyMatch(l -> l.contains(" INFO ") && l.contains("leaver-worker started"));
      assertThat(lines).anyMatch(l -> l.contains("state REBALANCING -> RUNNING"));
      assertThat(lines).noneMatch(l -> l.contains(" DEBUG ") || l.contains(" TRACE "));
    }
  }

  static Map<String, String> env(KafkaTestCluster kafka) {
    return Map.of("LIFECYCLE_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "LIFECYCLE_RUNTIME_TOPIC_CHECK_TIMEOUT", "30s");
  }

  private static AclBinding deny(String topic, AclOperation op) {
    return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
        new AccessControlEntry("User:ANONYMOUS", "*", op, AclPermissionType.DENY));
  }

  /** ACLs reach the broker from the controller a moment after they are created. */
  private static void awaitDenied(KafkaTestCluster kafka, String topic) throws Exception {
    for (int i = 0; i < 100; i++) {
      TopicCheck.Outcome o = TopicCheck.run(Map.of("bootstrap.servers", kafka.bootstrapServers()),
          Map.of(topic, EnumSet.of(AclOperation.WRITE)), Duration.ofSeconds(10));
      if (!o.notAuthorized().isEmpty()) {
        return;
      }
      Thread.sleep(100);
    }
  }

  private static void awaitGone(Admin admin, String topic) throws Exception {
    for (int i = 0; i < 100 && admin.listTopics().names().get().contains(topic); i++) {
      Thread.sleep(100);
    }
  }
}
