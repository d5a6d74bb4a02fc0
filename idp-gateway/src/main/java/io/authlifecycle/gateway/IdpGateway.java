package io.authlifecycle.gateway;

import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.runtime.Launchable;
import io.authlifecycle.core.streams.InputValidator;
import io.authlifecycle.core.streams.WorkerMetrics;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.idp.IdentityProviderClient;
import io.authlifecycle.gateway.keycloak.KeycloakSettings;
import io.authlifecycle.gateway.resilience.ResilienceSettings;
import io.authlifecycle.gateway.resilience.ResilientIdp;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IdP gateway: applies {@code authn.commands.v1} to the configured IdP and reports the facts.
 * The local stack starts it as a {@link Launchable}; {@link #main} runs it alone.
 */
public final class IdpGateway implements Launchable {

  private static final Logger LOG = LoggerFactory.getLogger(IdpGateway.class);
  public static final String NAME = "idp-gateway";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return GatewaySettings.own();
  }

  @Override
  public AutoCloseable launch(Settings settings) {
    return start(settings);
  }

  /** Starts the gateway and returns at once; the caller closes it. */
  public static RunningGateway start(Settings settings) {
    IdentityProviderClient client = GatewaySettings.adapter(settings);
    String bootstrap = settings.get(CoreSettings.BOOTSTRAP_SERVERS);
    checkPartitions(bootstrap, settings.kafkaOverrides());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    WorkerMetrics metrics = new WorkerMetrics(NAME, registry);
    ResilientIdp idp = new ResilientIdp(client, ResilienceSettings.from(settings), registry);

    String group = GatewaySettings.groupId(settings);
    Map<String, Object> consumerConfig = new HashMap<>();
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.get(GatewaySettings.MAX_POLL_RECORDS));
    // Retries with backoff can hold one batch for minutes; the group must not evict the gateway meanwhile.
    consumerConfig.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) CommandLoop.POLL_BUDGET.multipliedBy(2).toMillis());
    consumerConfig.putAll(settings.kafkaOverrides());
    Map<String, Object> producerConfig = new HashMap<>();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group + "-" + UUID.randomUUID());
    producerConfig.putAll(settings.kafkaOverrides());

    StateLoader loader = new StateLoader(consumerConfig, client.dryRun());
    CommandHandler handler = new CommandHandler(idp, metrics,
        new InputValidator(settings.get(CoreSettings.MAX_FUTURE_SKEW), settings.get(CoreSettings.MAX_EFFECTIVE_HORIZON)),
        settings.get(GatewaySettings.MAX_WAIT), Clock.systemUTC());
    CommandLoop loop = new CommandLoop(
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer()),
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer()),
        handler, idp, loader, metrics.gauge("gateway.partitions.paused"));
    Thread loopThread = new Thread(loop, NAME + "-loop");

    BindingReporter reporter = null;
    Thread reporterThread = null;
    if (settings.get(GatewaySettings.BINDINGS_ENABLED) && !client.dryRun()) {
      Map<String, Object> reporterConfig = new HashMap<>(producerConfig);
      reporterConfig.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
      reporter = new BindingReporter(idp, new KafkaProducer<>(reporterConfig, new ByteArraySerializer(), new ByteArraySerializer()),
          settings.get(GatewaySettings.BINDINGS_INTERVAL), settings.get(KeycloakSettings.EVENTS_LOOKBACK), Clock.systemUTC());
      reporterThread = new Thread(reporter, NAME + "-bindings");
      reporterThread.setDaemon(true);
    }
    GatewayHttp http;
    RunningGateway[] self = new RunningGateway[1];
    try {
      http = new GatewayHttp(settings.get(CoreSettings.HTTP_HOST), settings.get(CoreSettings.HTTP_PORT),
          () -> self[0].health(), registry);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the HTTP endpoint of " + NAME, e);
    }
    self[0] = new RunningGateway(loop, loopThread, reporter, reporterThread, http, idp, settings.get(CoreSettings.CLOSE_TIMEOUT));
    loopThread.start();
    if (reporterThread != null) {
      reporterThread.start();
    }
    LOG.info("{} started: adapter={}, group={}, http=http://{}:{}", NAME, client.name(), group,
        settings.get(CoreSettings.HTTP_HOST), http.port());
    return self[0];
  }

  /**
   * Everything the gateway writes about command partition p goes to partition p of its output
   * topics (that is how its state is rebuilt), so their partition counts must match.
   */
  static void checkPartitions(String bootstrap, Map<String, String> overrides) {
    Map<String, Object> config = new HashMap<>(overrides);
    config.put("bootstrap.servers", bootstrap);
    List<String> topics = List.of(Topics.COMMANDS.name(), Topics.AUTHENTICATOR_EVENTS.name(), Topics.AUDIT.name(),
        Topics.COMMANDS.deadLetterTopic().name());
    try (Admin admin = Admin.create(config)) {
      Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS);
      Map<String, Integer> counts = described.values().stream()
          .collect(Collectors.toMap(TopicDescription::name, d -> d.partitions().size()));
      if (counts.values().stream().distinct().count() > 1) {
        throw new IllegalStateException(NAME + " needs the same partition count on " + topics + "; found " + counts);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking topics", e);
    } catch (Exception e) {
      if (e instanceof IllegalStateException ise) {
        throw ise;
      }
      throw new IllegalStateException(NAME + " cannot describe its topics " + topics + " at " + bootstrap + ": " + e, e);
    }
  }

  /** {@code [--config FILE]}; settings from defaults, the file and the environment. */
  public static void main(String[] args) {
    Optional<Path> file = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = Optional.of(Path.of(args[++i]));
      }
    }
    Map<String, String> env = System.getenv();
    Optional<Path> configFile = file.or(() -> Optional.ofNullable(env.get(Settings.CONFIG_FILE_ENV))
        .filter(s -> !s.isBlank()).map(Path::of));
    RunningGateway gateway;
    try {
      gateway = start(Settings.load(GatewaySettings.declared(), configFile, env, Map.of()));
    } catch (ConfigException e) {
      System.err.println(NAME + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, NAME + "-shutdown"));
    try {
      gateway.awaitStop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (gateway.failed()) {
      System.exit(1);
    }
  }
}
