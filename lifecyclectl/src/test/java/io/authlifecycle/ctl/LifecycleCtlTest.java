package io.authlifecycle.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the CLI refuses before it talks to Kafka. */
class LifecycleCtlTest {

  @Test
  void namesTheKnownTopicsWhenTheTopicIsUnknown() {
    Cli consumed = Cli.run("consume", "--topic", "hr.worker-events.v2");

    assertThat(consumed.exitCode()).isEqualTo(2);
    assertThat(consumed.err()).contains("unknown topic 'hr.worker-events.v2'; known topics: hr.worker-events.v1, "
        + "mdm.device-events.v1, authn.authenticator-events.v1");
  }

  @Test
  void refusesToProduceOntoTheTextTopicTheProductWritesItself(@TempDir Path dir) throws Exception {
    Path input = Files.write(dir.resolve("ocsf.jsonl"), List.of("{\"class_uid\": 3001}"));

    Cli produced = Cli.run("produce", "--topic", "audit.ocsf.v1", "--file", input.toString(),
        "--bootstrap", "127.0.0.1:1");

    assertThat(produced.exitCode()).isEqualTo(ProduceCommand.MALFORMED_INPUT);
    assertThat(produced.err()).contains("audit.ocsf.v1 carries text written by the product itself");
  }

  @Test
  void listsProduceAndConsumeInTheUsage() {
    Cli usage = Cli.run("--help");

    assertThat(usage.exitCode()).isZero();
    assertThat(usage.out()).contains("produce").contains("consume");
  }
}
