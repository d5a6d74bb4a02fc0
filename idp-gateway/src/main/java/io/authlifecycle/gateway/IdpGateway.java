package io.authlifecycle.gateway;

import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.SerdeSettings;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.runtime.HttpEndpoint;
import io.authlifecycle.core.runtime.Launchable;
import io.authlifecycle.core.streams.InputValidator;
import io.authlifecycle.core.streams.WorkerMetrics;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.idp.IdentityProviderClient;
import io.authlifecycle.gateway.keycloak.KeycloakSettings;
import io.authlifecycle.gateway.resilience.ResilienceSettings;
import io.authlifecycle.gateway.resilience.ResilientIdp;
import io.authlifecycle.gateway.state.GatewayState;
import io.authlifecycle.gateway.state.StateLoader;
import io.authlifecycle.gateway.tickets.Tickets;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
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
  public RunningGateway launch(Settings settings) {
    return start(settings);
  }

  /** Starts the gateway and returns at once; the caller closes it. */
  public static RunningGateway start(Settings settings) {
    SerdeSettings.apply(settings);
    IdentityProviderClient client = GatewaySettings.adapter(settings);
    Provenance provenance = GatewaySettings.provenance(settings);
    List<String> commandTopics = provenance.topics();
    int partitions = KafkaClients.checkTopics(settings, commandTopics);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    WorkerMetrics metrics = new WorkerMetrics(NAME, registry);
    metrics.gauge("lifecycle.gateway.shadow.mode").set(client.dryRun() ? 1 : 0);
    if (client.dryRun()) {
      LOG.warn("{} runs in SHADOW MODE (gateway.adapter={}): commands are acknowledged with dryRun=true and audited as "
          + "gateway.command.shadow; NOTHING is changed at the IdP. Set gateway.adapter=keycloak to apply them.", NAME,
          settings.get(GatewaySettings.ADAPTER));
    }
    Tickets tickets = new Tickets(settings.get(GatewaySettings.TICKETS_RETAIN));
    ResilientIdp idp = new ResilientIdp(client, ResilienceSettings.from(settings), registry);

    Map<String, Object> consumerConfig = KafkaClients.consumer(settings);
    StateLoader loader = new StateLoader(consumerConfig, () -> new GatewayState(NAME, tickets::nextDue));
    CommandHandler handler = new CommandHandler(idp, provenance, metrics,
        new InputValidator(settings.get(CoreSettings.MAX_FUTURE_SKEW), settings.get(CoreSettings.MAX_EFFECTIVE_HORIZON)),
        settings.get(GatewaySettings.MAX_WAIT), Clock.systemUTC());
    CommandLoop loop = new CommandLoop(
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer()),
        new KafkaProducer<>(KafkaClients.transactionalProducer(settings), new ByteArraySerializer(), new ByteArraySerializer()),
        commandTopics, handler, new Chores(idp, tickets, metrics, new Chores.Config(
            settings.get(GatewaySettings.BINDINGS_ENABLED) ? settings.get(GatewaySettings.BINDINGS_INTERVAL) : null,
            settings.get(KeycloakSettings.EVENTS_LOOKBACK), settings.get(GatewaySettings.DEDUP_HORIZON), partitions)),
        idp, loader, metrics.gauge("gateway.partitions.paused"), Clock.systemUTC());
    Thread loopThread = new Thread(loop, NAME + "-loop");

    HttpEndpoint http;
    RunningGateway[] self = new RunningGateway[1];
    try {
      http = new HttpEndpoint(NAME, settings.get(CoreSettings.HTTP_HOST), settings.get(CoreSettings.HTTP_PORT),
          () -> self[0].health(), registry);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the HTTP endpoint of " + NAME, e);
    }
    self[0] = new RunningGateway(loop, loopThread, http, idp, settings.get(CoreSettings.CLOSE_TIMEOUT));
    loopThread.start();
    LOG.info("{} started: adapter={}, group={}, reading {}, http=http://{}:{}", NAME, client.name(),
        GatewaySettings.groupId(settings), commandTopics, settings.get(CoreSettings.HTTP_HOST), http.port());
    if (settings.get(GatewaySettings.LEGACY_COMMANDS)) {
      LOG.warn("{} also reads {} (gateway.commands.legacy-topic=true): commands there carry only a self-declared issuer",
          NAME, Topics.COMMANDS.name());
    }
    return self[0];
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
