package io.authlifecycle.gateway;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.idp.Binding;
import io.authlifecycle.gateway.resilience.ResilientIdp;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the IdP for authenticators bound there and reports each once as {@code AuthenticatorBound}.
 * Event ids derive from the IdP's credential id, so a report repeated after a restart is a
 * duplicate the workers drop. The calls share the commands' rate limiter, bulkhead and breaker.
 */
final class BindingReporter implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(BindingReporter.class);
  private static final Duration OVERLAP = Duration.ofSeconds(5);
  private static final int REMEMBERED = 100_000;

  private final ResilientIdp idp;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Duration interval;
  private final Clock clock;
  private final Set<String> reported = new LinkedHashSet<>();
  private Instant since;
  private volatile boolean running = true;

  BindingReporter(ResilientIdp idp, KafkaProducer<byte[], byte[]> producer, Duration interval, Duration lookback, Clock clock) {
    this.idp = idp;
    this.producer = producer;
    this.interval = interval;
    this.clock = clock;
    this.since = clock.instant().minus(lookback);
  }

  @Override
  public void run() {
    try (producer) {
      while (running) {
        if (!idp.open()) {
          pollOnce();
        }
        synchronized (this) {
          if (running) {
            wait(interval.toMillis());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void pollOnce() {
    Instant started = clock.instant();
    try {
      int sent = 0;
      for (Binding b : idp.call(() -> idp.client().bindingsSince(since))) {
        if (reported.add(b.authenticatorId())) {
          producer.send(new ProducerRecord<>(Topics.AUTHENTICATOR_EVENTS.name(), b.subjectId().getBytes(StandardCharsets.UTF_8),
              Topics.AUTHENTICATOR_EVENTS.valueSerde().serializer().serialize(Topics.AUTHENTICATOR_EVENTS.name(), fact(b))));
          sent++;
        }
      }
      producer.flush();
      since = started.minus(OVERLAP);
      while (reported.size() > REMEMBERED) {
        reported.remove(reported.iterator().next());
      }
      if (sent > 0) {
        LOG.info("reported {} binding(s) made at {}", sent, idp.client().name());
      }
    } catch (RuntimeException e) {
      LOG.warn("polling {} for bindings failed, will try again: {}", idp.client().name(), e.getMessage());
    }
  }

  private AuthenticatorBound fact(Binding b) {
    return AuthenticatorBound.newBuilder()
        .setEventId(Ids.derive(IdpGateway.NAME, "bound", b.authenticatorId()))
        .setEventTime(b.boundAt()).setSubjectId(b.subjectId()).setAuthenticatorId(b.authenticatorId())
        .setFactorType(b.factorType()).setSource(idp.client().name()).build();
  }

  synchronized void stop() {
    running = false;
    notifyAll();
  }
}
