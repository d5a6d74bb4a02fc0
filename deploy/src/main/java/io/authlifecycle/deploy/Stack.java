package io.authlifecycle.deploy;

import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.PersonKeyFile;
import io.authlifecycle.core.approvals.PersonKeyRegistry;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.runtime.CoHostedWorkers;
import io.authlifecycle.core.runtime.Launchable;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.security.OwnerOnlyFiles;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.ctl.Publisher;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The local stack while it runs: a broker (or an existing cluster), the registry's topics, every
 * discovered component, and in demo mode the feed and the decision tail. Closing stops them in
 * reverse order.
 */
public final class Stack implements AutoCloseable {

  /** How to run the stack; {@code bootstrap} empty means start a local broker. */
  public record Options(Path dataDir, Optional<String> bootstrap, int port, int controllerPort, int firstHttpPort,
      Optional<Path> configFile, Set<String> only, boolean demo, boolean tail, Duration startTimeout, boolean secure,
      boolean coHost, KeycloakOptions keycloak) {

    /** Every worker a Streams application of its own (the default deployment), with a local Keycloak or not. */
    public Options(Path dataDir, Optional<String> bootstrap, int port, int controllerPort, int firstHttpPort,
        Optional<Path> configFile, Set<String> only, boolean demo, boolean tail, Duration startTimeout, boolean secure,
        KeycloakOptions keycloak) {
      this(dataDir, bootstrap, port, controllerPort, firstHttpPort, configFile, only, demo, tail, startTimeout, secure, false,
          keycloak);
    }

    /** Every worker a Streams application of its own (the default deployment), without a local Keycloak. */
    public Options(Path dataDir, Optional<String> bootstrap, int port, int controllerPort, int firstHttpPort,
        Optional<Path> configFile, Set<String> only, boolean demo, boolean tail, Duration startTimeout, boolean secure) {
      this(dataDir, bootstrap, port, controllerPort, firstHttpPort, configFile, only, demo, tail, startTimeout, secure,
          KeycloakOptions.NONE);
    }

    /** Options without client security. */
    public Options(Path dataDir, Optional<String> bootstrap, int port, int controllerPort, int firstHttpPort,
        Optional<Path> configFile, Set<String> only, boolean demo, boolean tail, Duration startTimeout) {
      this(dataDir, bootstrap, port, controllerPort, firstHttpPort, configFile, only, demo, tail, startTimeout, false);
    }
  }

  /** A local Keycloak for the gateway ({@code --keycloak}): its port and, if named, the Java 21+ JDK to run it on. */
  public record KeycloakOptions(boolean enabled, int port, Optional<Path> javaHome) {
    public static final KeycloakOptions NONE = new KeycloakOptions(false, 0, Optional.empty());
  }

  /** The local Keycloak needs at least this to start the first time (it builds itself then). */
  private static final Duration KEYCLOAK_START = Duration.ofMinutes(5);

  /** The demo's help-desk agent and approver: two people, each with an HR subject of their own. */
  static final Person DEMO_AGENT = new Person("demo-agent", "hd-demo");
  static final Person DEMO_APPROVER = new Person("demo-approver", "ap-demo");
  static final String INGEST = "lifecycle-ingest";
  static final String INGEST_CLIENT = "local";
  private static final List<String> INGEST_CLIENT_KEYS = List.of("ingest.tokens.file", "ingest.tokens", "ingest.tls.truststore");
  private static final String INGEST_TOKENS_FILE = "ingest.tokens.file";

  private final PrintStream out;
  private PersonKeyFile demoAgent;
  private Path demoApproverKey;
  private KafkaBroker broker;
  private String bootstrapServers;
  private Optional<LocalSecurity> security = Optional.empty();
  private StackTopics.Outcome topics;
  private Components components;
  private DecisionTail tail;
  private LocalKeycloak keycloak;
  private KeycloakChanges keycloakChanges;
  private String demoPassword;
  private ConsolePlacement console;

  private Stack(PrintStream out) {
    this.out = out;
  }

  /** Starts everything; on failure stops what had started and rethrows. */
  public static Stack start(Options options, PrintStream out) throws IOException, InterruptedException {
    Stack stack = new Stack(out);
    try {
      stack.startAll(options);
    } catch (IOException | InterruptedException | RuntimeException e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  private void startAll(Options options) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    if (options.bootstrap().isPresent()) {
      bootstrapServers = options.bootstrap().get();
      out.println("Using the Kafka cluster at " + bootstrapServers);
    } else {
      Path home = options.dataDir().resolve("kafka");
      if (options.secure()) {
        security = Optional.of(LocalSecurity.load(home));
      }
      out.println("Starting a single-node KRaft broker (data in " + home + ")"
          + (options.secure() ? " with SASL/PLAIN and the standard authorizer" : "") + " ...");
      broker = KafkaBroker.start(home, options.port(), options.controllerPort(), options.startTimeout(), security);
      bootstrapServers = broker.bootstrapServers();
      out.printf("Broker running at %s (pid %d, log %s) after %.1fs%n", bootstrapServers, broker.pid(), broker.log(),
          seconds(t0));
    }

    topics = StackTopics.ensure(adminClient());
    if (security.isPresent()) {
      applyAcls();
      out.println("Access: one principal per component and party with the least-privilege ACLs; admin client settings in "
          + options.dataDir().resolve("kafka").resolve("admin-client.properties"));
    }
    out.println("Topics: " + topics.created().size() + " created, " + topics.existing().size() + " already there ("
        + Topics.allWithDeadLetters().size() + " in the registry)");

    Predicate<String> wanted = options.only().isEmpty() ? name -> true : options.only()::contains;
    List<WorkerApp> apps = Components.workers(wanted);
    List<String> workerNames = apps.stream().map(WorkerApp::name).toList();
    if (options.coHost() && !apps.isEmpty()) {
      if (options.secure()) {
        throw new IllegalStateException("--co-host runs under one principal, which the local secure mode does not create;"
            + " run them without --secure, or separately");
      }
      apps = List.of(new CoHostedWorkers(CoHostedWorkers.DEFAULT_NAME, apps));
      out.println("Co-hosting " + workerNames + " as one Kafka Streams application (" + CoHostedWorkers.DEFAULT_NAME + ")");
    }
    List<Launchable> others = Components.launchables(wanted);
    if (apps.isEmpty() && others.isEmpty()) {
      out.println("No workers found on the class path: nothing will decide on the events (each worker module "
          + "registers itself in META-INF/services/io.authlifecycle.core.runtime.WorkerApp).");
    }
    Map<String, String> stackSettings = new LinkedHashMap<>(options.demo() ? demoPeople(options.dataDir()) : Map.of());
    if (options.keycloak().enabled()) {
      stackSettings.putAll(startKeycloak(options));
    }
    console = console(options, apps, others);
    if (console != null) {
      stackSettings.putAll(console.settings());
      List<String> passkeys = console.enrolled();
      if (!passkeys.isEmpty()) {
        // The passkeys enrolled in the console so far count with the recovery worker from this start on.
        String keys = stackSettings.getOrDefault(PersonKeyRegistry.PERSON_KEYS.key(), "");
        stackSettings.put(PersonKeyRegistry.PERSON_KEYS.key(), (keys.isEmpty() ? "" : keys + ",") + String.join(",", passkeys));
      }
    }
    boolean ingestTokens = others.stream().anyMatch(c -> c.name().equals(INGEST)) && !ingestClientsConfigured(options);
    if (ingestTokens) {
      stackSettings.put(INGEST_TOKENS_FILE, ingestTokens(options.dataDir()).toString());
    }
    List<String> names = new ArrayList<>();
    apps.forEach(a -> names.add(a.name()));
    others.forEach(o -> names.add(o.name()));
    LocalSecrets secrets = LocalSecrets.prepare(options.dataDir(), names);
    components = Components.start(apps, others, new Components.Placement(bootstrapServers,
        options.dataDir().resolve("state"), options.firstHttpPort(), options.configFile(), this::clientPropertiesOf,
        stackSettings, secrets::settingsOf));
    List<String> notRunning = components.awaitRunning(options.startTimeout());
    for (Components.Started c : components.started()) {
      out.println("  " + c.kind() + " " + c.name() + (c.httpPort() > 0 ? "  http://127.0.0.1:" + c.httpPort() + "/health" : "")
          + (notRunning.stream().anyMatch(n -> n.startsWith(c.name() + " ")) ? "  (not RUNNING yet)" : ""));
      c.endpoints().forEach((what, url) -> out.println("      " + what + ": " + url));
      if (c.name().equals(INGEST) && ingestTokens) {
        out.println("      bearer token of client '" + INGEST_CLIENT + "' in " + ingestTokens(options.dataDir()));
      }
    }
    if (!names.isEmpty()) {
      out.println("Audit: each component signs checkpoints of its chains with its key in " + secrets.writerKeys().getParent()
          + "; verify with bin/lifecyclectl audit verify --writer-keys " + secrets.writerKeys());
      out.println("Queries: /subjects answers with the token in " + secrets.queryToken() + " (bin/lifecyclectl inspect reads it)");
    }
    out.printf("Stack up in %.1fs. Ctrl-C stops it.%n", seconds(t0));

    if (options.demo() || options.tail()) {
      tail = keycloakChanges == null ? new DecisionTail(adminClient(), out)
          : new DecisionTail(adminClient(), out, keycloakChanges);
      tail.start();
    }
    if (options.demo()) {
      feedDemo(workerNames);
    }
  }

  /**
   * Starts a local Keycloak under a Java 21+ JDK found on the machine, sets its realm up and returns
   * the settings that point the gateway at it. Where it cannot (no such JDK, no Maven, Keycloak
   * does not start) it says why and returns none: the gateway stays on the dry-run adapter.
   */
  private Map<String, String> startKeycloak(Options options) {
    KeycloakJdk.Search jdk = KeycloakJdk.onThisMachine(options.keycloak().javaHome());
    if (jdk.found().isEmpty()) {
      out.println(noKeycloak(jdk.reason() + "; install one (e.g. under /usr/lib/jvm) or name it with "
          + "--keycloak-java-home or KEYCLOAK_JAVA_HOME"));
      return Map.of();
    }
    Duration timeout = options.startTimeout().compareTo(KEYCLOAK_START) > 0 ? options.startTimeout() : KEYCLOAK_START;
    try {
      keycloak = LocalKeycloak.start(options.dataDir(), options.keycloak().port(), jdk.found().get(), timeout, out);
      Path dir = options.dataDir().resolve("keycloak");
      String secret = LocalRealm.ensure(keycloak.admin(), dir);
      keycloakChanges = new KeycloakChanges(keycloak.admin());
      demoPassword = LocalRealm.demoPassword(dir);
      out.println("Keycloak realm " + LocalRealm.NAME + ": the IdP gateway applies commands there (gateway.adapter=keycloak, "
          + "client " + LocalRealm.GATEWAY_CLIENT + ", subjects by the user attribute " + LocalRealm.SUBJECT_ATTRIBUTE + ")");
      out.println("      admin console: " + keycloak.url() + "/admin/master/console/#/" + LocalRealm.NAME
          + "  (administrator in " + keycloak.adminCredentials() + ")");
      return LocalRealm.gatewaySettings(keycloak.url(), secret);
    } catch (IOException | RuntimeException e) {
      if (keycloak != null) {
        keycloak.close();
        keycloak = null;
      }
      keycloakChanges = null;
      out.println(noKeycloak(e.getMessage()));
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting Keycloak", e);
    }
  }

  static String noKeycloak(String why) {
    return "Keycloak: not started: " + why + ". The IdP gateway stays on the dry-run adapter (shadow mode): "
        + "nothing changes at an IdP.";
  }

  /**
   * The demo's help-desk agent and approver: key files kept under the data folder, registered with
   * the recovery worker, and a short cooling-off so the demo's recovery completes while you watch.
   */
  private Map<String, String> demoPeople(Path dataDir) throws IOException {
    Path people = dataDir.resolve("people");
    demoAgent = demoKey(people.resolve(DEMO_AGENT.personId() + ".key"), DEMO_AGENT, Role.HELP_DESK);
    demoApproverKey = people.resolve(DEMO_APPROVER.personId() + ".key");
    PersonKeyFile approver = demoKey(demoApproverKey, DEMO_APPROVER, Role.APPROVER);
    return Map.of(PersonKeyRegistry.PERSON_KEYS.key(), demoAgent.registryEntry() + "," + approver.registryEntry(),
        "recovery.cooling-off.standard", "30s");
  }

  private static PersonKeyFile demoKey(Path file, Person person, Role role) throws IOException {
    if (Files.exists(file)) {
      try {
        return PersonKeyFile.read(file);
      } catch (PersonKeyFile.KeyFileException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    PersonKeyFile key = PersonKeyFile.generate(person, Set.of(role));
    key.writeNew(file);
    return key;
  }

  /** Whether the operator said who may call the ingest (environment or properties file); if not, the stack makes a token. */
  private static boolean ingestClientsConfigured(Options options) throws IOException {
    if (INGEST_CLIENT_KEYS.stream().map(Settings::environmentVariable).anyMatch(v -> System.getenv(v) != null)) {
      return true;
    }
    Optional<Path> file = options.configFile().or(() -> Optional.ofNullable(System.getenv(Settings.CONFIG_FILE_ENV))
        .filter(f -> !f.isBlank()).map(Path::of));
    if (file.isEmpty() || !Files.exists(file.get())) {
      return false;
    }
    Properties props = new Properties();
    try (java.io.Reader reader = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
      props.load(reader);
    }
    return INGEST_CLIENT_KEYS.stream().anyMatch(props::containsKey);
  }

  /** The ingest's bearer token for local clients, made once and kept under the data folder (readable by its owner only). */
  private static Path ingestTokens(Path dataDir) throws IOException {
    Path file = dataDir.resolve("ingest").resolve("tokens.properties");
    if (!Files.exists(file)) {
      byte[] secret = new byte[24];
      new SecureRandom().nextBytes(secret);
      OwnerOnlyFiles.writeNew(file, "# lifecycle-ingest clients: client-id=bearer token\n" + INGEST_CLIENT + "="
          + HexFormat.of().formatHex(secret) + "\n");
    }
    return file;
  }

  private String consoleLink() {
    try {
      return console.enrollLink(DEMO_APPROVER, Role.APPROVER);
    } catch (IOException e) {
      return "(cannot read the console's enrollment secret: " + e.getMessage() + ")";
    }
  }

  private void feedDemo(List<String> workers) throws IOException {
    Instant now = Instant.now();
    String run = DemoFeed.runId(now);
    List<DemoFeed.Item> items = DemoFeed.items(now, run, demoAgent);
    if (keycloakChanges != null) {
      demoUsers(items);
    }
    List<Publisher.Encoded> batch = new ArrayList<>();
    items.forEach(i -> batch.add(i.encoded()));
    batch.add(DemoFeed.garbage(run));
    Properties client = new Properties();
    client.putAll(adminClient());
    Publisher.publish(client, batch);
    out.println();
    out.println("Demo run " + run + ": fed " + batch.size() + " events in one transaction:");
    for (DemoFeed.Item item : items) {
      out.println("  -> " + Summaries.of(item.record(), now));
    }
    out.println("  -> " + String.format("%-11s %s", "GARBAGE", "non-Avro bytes on " + Topics.HR_WORKER_EVENTS.name()
        + " for mallory-" + run));
    out.println();
    if (workers.contains("recovery-worker")) {
      out.println("Frank's recovery, signed by the help-desk agent " + DEMO_AGENT.personId() + ", waits for one signed approval "
          + "(30s cooling-off in the demo). Approve it from another terminal as " + DEMO_APPROVER.personId() + ":");
      out.println("  " + approveCommand(run, demoApproverKey));
      if (console != null) {
        out.println("Or in the approver console, " + console.url() + " : enroll a passkey for " + DEMO_APPROVER.personId()
            + " once through this single-use link (a browser with a platform or security-key passkey):");
        out.println("  " + consoleLink());
        out.println("then restart the stack with the same --data-dir: the recovery worker then counts that passkey, and the "
            + "next run's case can be approved in the console (" + console.enrolled().size() + " passkey(s) enrolled so far).");
      }
      out.println();
    }
    if (!workers.isEmpty()) {
      out.println("Decisions of " + String.join(", ", workers) + " as they are committed (the leaver for carol-"
          + run + " comes due in 20s):");
    } else {
      out.println("No worker is running, so no decision or dead letter will follow. The events are on their topics:");
      out.println("  bin/lifecyclectl consume --topic " + Topics.HR_WORKER_EVENTS.name() + " --from-beginning --timeout-ms 3000");
    }
  }

  /**
   * Keycloak users for the demo's people (the subjects of its HR events), with a password and no
   * second factor; those who leave are signed in, so ending their sessions shows. The tail compares
   * what Keycloak holds for each with this.
   */
  private void demoUsers(List<DemoFeed.Item> items) {
    List<String> subjects = DemoFeed.people(items);
    List<String> leavers = DemoFeed.leavers(items);
    LocalRealm.addUsers(keycloak.admin(), subjects, demoPassword);
    leavers.forEach(s -> LocalRealm.signIn(keycloak.admin(), s, demoPassword));
    subjects.forEach(keycloakChanges::remember);
    out.println("Keycloak users for the demo (password " + demoPassword + "): " + String.join(", ", subjects)
        + "; " + String.join(" and ", leavers) + " signed in. Their account pages: " + keycloak.url() + "/realms/"
        + LocalRealm.NAME + "/account");
  }

  /**
   * The console's placement when it is on the class path; with ephemeral HTTP ports its URL, which
   * passkeys are bound to, cannot be known in advance, so it is left out.
   */
  private ConsolePlacement console(Options options, List<WorkerApp> apps, List<Launchable> others) {
    int index = others.stream().map(Launchable::name).toList().indexOf(ConsolePlacement.NAME);
    if (index < 0) {
      return null;
    }
    if (options.firstHttpPort() == 0) {
      others.remove(index);
      out.println("The approver console needs a fixed HTTP port (its URL is the passkeys' origin): not started.");
      return null;
    }
    return new ConsolePlacement(options.dataDir(), options.firstHttpPort() + apps.size() + index);
  }

  /** The command the demo prints for approving frank's recovery. */
  static String approveCommand(String run, Path approverKey) {
    return "bin/lifecyclectl approve --request rec-frank-" + run + " --key " + approverKey
        + " --comment \"called back on the number HR has\"";
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Client settings for the stack's own tools: the bootstrap servers and, when secured, the admin principal. */
  public Map<String, Object> adminClient() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    security.ifPresent(s -> props.putAll(s.clientProperties(LocalSecurity.ADMIN)));
    return props;
  }

  /** A component's own principal when secured (each component is named in the access plan). */
  private Map<String, String> clientPropertiesOf(String component) {
    return security.filter(s -> s.knows(component)).map(s -> s.clientProperties(component)).orElse(Map.of());
  }

  private void applyAcls() {
    try {
      security.orElseThrow().applyAcls(adminClient());
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the access plan's ACLs: " + e.getMessage(), e);
    }
  }

  public StackTopics.Outcome topics() {
    return topics;
  }

  public Components components() {
    return components;
  }

  /** The local broker, if this stack started one. */
  public Optional<KafkaBroker> broker() {
    return Optional.ofNullable(broker);
  }

  /** Stops the tail, the components (each with close(Duration)), Keycloak, then the broker. */
  @Override
  public void close() {
    if (tail != null) {
      tail.close();
      tail = null;
    }
    if (components != null) {
      components.close();
      components = null;
    }
    if (keycloak != null) {
      keycloak.close();
      keycloak = null;
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
