package io.authlifecycle.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.runtime.RunningWorker;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack with a real broker process, on a temporary data folder and free ports. */
class LocalStackIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path dataDir;

  @Test
  void startsABrokerProcessCreatesTheTopicsRunsTheDemoAndStopsCleanlyKeepingItsData() throws Exception {
    int port = freePort();
    int controllerPort = freePort();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
    KafkaBroker broker;
    RunningWorker probe;
    String meta;

    try (Stack stack = Stack.start(options(port, controllerPort, Set.of("probe-worker"), true), out)) {
      broker = stack.broker().orElseThrow();
      assertThat(broker.isAlive()).isTrue();
      assertThat(broker.pid()).isNotEqualTo(ProcessHandle.current().pid());
      assertThat(Files.readString(broker.log())).contains("Kafka Server started");
      assertThat(stack.topics().created()).containsExactlyElementsOf(allTopicNames());
      assertThat(topicsOnTheBroker(stack.bootstrapServers())).containsAll(allTopicNames());
      probe = stack.components().workers().get(0);
      assertThat(probe.state()).isEqualTo(KafkaStreams.State.RUNNING);

      // The probe worker audits each HR event it accepts and dead-letters the garbage and the UNKNOWN type.
      String printed = awaitConsole(console, text -> count(text, "DEAD-LETTER ") >= 2 && count(text, "probe.received") >= 4);
      assertThat(printed).contains("Demo run ").contains("-> HR          JOINER alice-")
          .contains("UNDECODABLE by probe-worker").contains("INVALID by probe-worker: type is UNKNOWN");
      meta = Files.readString(dataDir.resolve("kafka/data/meta.properties"));
    }

    assertThat(broker.isAlive()).isFalse();
    assertThat(probe.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);

    // A second start finds the formatted storage and the topics, and formats nothing again.
    try (Stack again = Stack.start(options(port, controllerPort, Set.of("no-such-component"), false), out)) {
      assertThat(again.topics().created()).isEmpty();
      assertThat(again.topics().existing()).containsExactlyElementsOf(allTopicNames());
      assertThat(again.components().started()).isEmpty();
      assertThat(Files.readString(dataDir.resolve("kafka/data/meta.properties"))).isEqualTo(meta);
    }
    assertThat(console.toString(StandardCharsets.UTF_8)).contains("No workers found on the class path");
  }

  private Stack.Options options(int port, int controllerPort, Set<String> only, boolean demo) {
    return new Stack.Options(dataDir, Optional.empty(), port, controllerPort, 0, Optional.empty(), only, demo, false, WAIT);
  }

  private static List<String> allTopicNames() {
    return Topics.allWithDeadLetters().stream().map(TopicSpec::name).toList();
  }

  private static Set<String> topicsOnTheBroker(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      return admin.listTopics().names().get();
    }
  }

  private static String awaitConsole(ByteArrayOutputStream console, Predicate<String> done) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String text = console.toString(StandardCharsets.UTF_8);
    while (!done.test(text) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      text = console.toString(StandardCharsets.UTF_8);
    }
    return text;
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
