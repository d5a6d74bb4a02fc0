package io.authlifecycle.console;

import io.authlifecycle.core.approvals.PersonKeyRegistry;
import io.authlifecycle.core.approvals.RelyingParty;
import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.config.CoreSettings;
import io.authlifecycle.core.config.SerdeSettings;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.runtime.Launchable;
import io.authlifecycle.core.streams.WorkerContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The approver console: passkey sign-in, the waiting recovery requests, decisions signed with a
 * fresh passkey assertion. Writes decisions and its audit under its own Kafka principal; reads the
 * approval requests. The local stack starts it as a {@link Launchable}; {@link #main} runs it alone.
 */
public final class ApproverConsole implements Launchable {

  public static final String NAME = "approver-console";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return ConsoleSettings.ALL;
  }

  /** Every setting the console reads, as the runtime declares a component's: the core, wire-format and checkpoint ones too. */
  public static List<Setting<?>> allSettings() {
    List<Setting<?>> all = new ArrayList<>();
    WorkerContext.declared(ConsoleSettings.ALL).stream().filter(s -> all.stream().noneMatch(a -> a.key().equals(s.key())))
        .forEach(all::add);
    return all;
  }

  @Override
  public Running launch(Settings settings) throws IOException {
    SerdeSettings.apply(settings);
    RelyingParty rp = RelyingParty.from(settings);
    if (rp.origins().isEmpty()) {
      throw new ConfigException(RelyingParty.ORIGINS.key(), "the console needs its own origin (its URL as the browser sees it)");
    }
    PersonKeyRegistry.parse(settings.get(PersonKeyRegistry.PERSON_KEYS));
    ConsoleStore store = new ConsoleStore(Path.of(settings.get(ConsoleSettings.DATA_DIR)));
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(settings), new StringSerializer(),
        new ByteArraySerializer());
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(settings), new StringDeserializer(),
        new ByteArrayDeserializer());
    RequestBoard board = new RequestBoard(consumer);
    Thread reader = new Thread(board, NAME + "-requests");
    reader.setDaemon(true);
    reader.start();
    Clock clock = Clock.systemUTC();
    ConsoleServer server = new ConsoleServer(settings.get(CoreSettings.HTTP_HOST), settings.get(CoreSettings.HTTP_PORT), clock,
        new ConsoleServer.ConsoleConfig(settings.get(PersonKeyRegistry.PERSON_KEYS), settings.get(ConsoleSettings.ENROLL_SECRET)),
        new Sessions(clock, settings.get(ConsoleSettings.IDLE_TIMEOUT)), store, new ConsoleAudit(store, producer), board,
        producer, new Passkeys(rp));
    String url = rp.origins().iterator().next();
    return new Running(server, board, producer, url);
  }

  /** A running console. */
  public static final class Running implements Launched {
    private final ConsoleServer server;
    private final RequestBoard board;
    private final KafkaProducer<String, byte[]> producer;
    private final String url;

    Running(ConsoleServer server, RequestBoard board, KafkaProducer<String, byte[]> producer, String url) {
      this.server = server;
      this.board = board;
      this.producer = producer;
      this.url = url;
    }

    @Override
    public int httpPort() {
      return server.port();
    }

    @Override
    public Map<String, String> endpoints() {
      return Map.of("approver console", url);
    }

    @Override
    public void close() {
      server.close();
      board.stop();
      producer.close();
    }
  }

  private static Map<String, Object> producerConfig(Settings settings) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get(CoreSettings.BOOTSTRAP_SERVERS));
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.putAll(settings.kafkaOverrides());
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    return config;
  }

  private static Map<String, Object> consumerConfig(Settings settings) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get(CoreSettings.BOOTSTRAP_SERVERS));
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putAll(settings.kafkaOverrides());
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return config;
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.fromEnvironment(allSettings());
    Running running = new ApproverConsole().launch(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(running::close));
    System.out.println("approver console at " + running.endpoints().get("approver console"));
    Thread.currentThread().join();
  }
}
