package io.authlifecycle.deploy;

import io.authlifecycle.core.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/lifecycle-local}: a real single-node KRaft broker, every registry topic, every worker on
 * the class path, and with {@code --demo} a scripted feed and the decisions as readable lines.
 */
@Command(name = "lifecycle-local", mixinStandardHelpOptions = true, version = "lifecycle-local 0.1.0",
    description = {
        "Runs the whole product on this machine.",
        "",
        "A single-node KRaft broker started from the Kafka jars (loopback only, data kept between runs), "
            + "every registry topic and dead-letter topic, and every worker and component found on the class "
            + "path, each worker its own Kafka Streams client. Ctrl-C stops the components, then the broker."})
public final class LocalStack implements Callable<Integer> {

  @Option(names = "--demo", description = "Feed a scripted set of HR, MDM, IdP and recovery events and print the decisions.")
  boolean demo;

  @Option(names = "--tail", description = "Print audit records, commands, notifications and dead letters as they are committed.")
  boolean tail;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Use this Kafka cluster instead of starting a broker.")
  String bootstrap;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:LIFECYCLE_LOCAL_DIR:-.local}",
      description = "Broker data, worker state and logs (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092", description = "Broker port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--controller-port", paramLabel = "PORT", defaultValue = "9093", description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
  int controllerPort;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8081",
      description = "HTTP port of the first worker; the next ones count up, 0 picks free ports (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file for every component (else $LIFECYCLE_CONFIG_FILE).")
  Path config;

  @Option(names = "--secure", description = "Run the broker with SASL/PLAIN and the standard authorizer; every component "
      + "connects as its own least-privilege principal (credentials in DATA_DIR/kafka/credentials.properties).")
  boolean secure;

  @Option(names = "--co-host", description = "Run the workers as sub-topologies of one Kafka Streams application ("
      + "lifecycle-deciders): each input fetched once, one transaction per commit for all; the application id, consumer "
      + "group and changelog topics are the host's, so choose the mode when state is new.")
  boolean coHost;

  @Option(names = "--only", paramLabel = "NAME", split = ",", description = "Start only these components, e.g. leaver-worker.")
  List<String> only = List.of();

  @Option(names = "--start-timeout", defaultValue = "120", paramLabel = "SECONDS",
      description = "How long to wait for the broker and the workers (default: ${DEFAULT-VALUE}s).")
  long startTimeoutSeconds;

  @Override
  public Integer call() throws Exception {
    Stack.Options options = new Stack.Options(dataDir, Optional.ofNullable(bootstrap), port, controllerPort, httpPort,
        Optional.ofNullable(config), new LinkedHashSet<>(only), demo, tail, Duration.ofSeconds(startTimeoutSeconds), secure,
        coHost);
    Stack stack;
    try {
      stack = Stack.start(options, System.out);
    } catch (ConfigException | IllegalStateException e) {
      System.err.println("lifecycle-local: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Stopping ...");
      stack.close();
      System.out.println("Stopped.");
      stopped.countDown();
    }, "lifecycle-local-shutdown"));
    stack.broker().ifPresent(b -> b.onExit().thenAccept(p -> {
      if (stopped.getCount() > 0) {
        System.err.println("lifecycle-local: the broker exited on its own (code " + p.exitValue() + "); see " + b.log());
        System.exit(1);
      }
    }));
    stopped.await();
    return 0;
  }

  public static void main(String[] args) {
    // Before anything logs: a quiet console, the full log in the data folder.
    Path dir = Path.of(Optional.ofNullable(System.getenv("LIFECYCLE_LOCAL_DIR")).orElse(".local"));
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--data-dir")) {
        dir = Path.of(args[i + 1]);
      }
    }
    System.setProperty("lifecycle.log.dir", dir.resolve("logs").toString());
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "lifecycle-local-logback.xml");
    }
    int code = new CommandLine(new LocalStack()).execute(args);
    System.exit(code);
  }
}
