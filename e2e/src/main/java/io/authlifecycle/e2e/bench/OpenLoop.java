package io.authlifecycle.e2e.bench;

import io.authlifecycle.e2e.bench.Mix.EventKind;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An open-loop load: event {@code n} is scheduled at {@code start + n / rate}, and its event time
 * (and record timestamp) is that scheduled time, whenever it actually goes out. A slow system
 * cannot slow the schedule down, so latency measured from the event time includes any time the
 * event spent waiting to be sent: no coordinated omission.
 */
public final class OpenLoop {

  /** What was sent, overall and inside the measured window. */
  public record Result(long sent, long sentInWindow, Map<EventKind, Long> inWindowByKind, long windowStartMillis,
      long windowEndMillis, long maxBehindMillis, long sendErrors, String firstError) {}

  /** Called for each event of the measured window, with its scheduled time. */
  public interface WindowListener {
    void scheduled(Population.Event event, long scheduledMillis);
  }

  private OpenLoop() {}

  /**
   * Sends {@code rate} events per second for {@code warmup + measure}; events scheduled in the
   * last {@code measure} form the measured window. The schedule starts at {@code startMillis}
   * (wall clock), so the caller knows the window before the first event goes out.
   *
   * @param toRecord the record an event becomes, given its scheduled time (its topic, key and bytes)
   */
  public static Result run(long startMillis, double rate, Duration warmup, Duration measure, Mix mix,
      Population population, long seed, Producer<byte[], byte[]> producer, Function<Scheduled, ProducerRecord<byte[], byte[]>> toRecord,
      WindowListener listener) {
    Random random = new Random(seed);
    long total = (long) Math.floor(rate * (warmup.toMillis() + measure.toMillis()) / 1000.0);
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    Map<EventKind, Long> byKind = new EnumMap<>(EventKind.class);
    long startNanos = System.nanoTime() + (startMillis - System.currentTimeMillis()) * 1_000_000;
    long windowStart = startMillis + warmup.toMillis();
    long windowEnd = windowStart + measure.toMillis();
    long maxBehind = 0;
    long inWindow = 0;
    for (long n = 0; n < total; n++) {
      long offsetNanos = (long) (n * 1e9 / rate);
      long due = startNanos + offsetNanos;
      long now = System.nanoTime();
      if (now < due) {
        LockSupport.parkNanos(due - now);
      } else {
        maxBehind = Math.max(maxBehind, now - due);
      }
      long scheduled = startMillis + offsetNanos / 1_000_000;
      EventKind kind = mix.pick(random.nextDouble());
      Population.Event event = population.next(kind, n, Instant.ofEpochMilli(scheduled), random);
      producer.send(toRecord.apply(new Scheduled(event, scheduled)), (metadata, e) -> {
        if (e != null) {
          errors.incrementAndGet();
          firstError.compareAndSet(null, e.toString());
        }
      });
      if (scheduled >= windowStart && scheduled < windowEnd) {
        inWindow++;
        byKind.merge(kind, 1L, Long::sum);
        listener.scheduled(event, scheduled);
      }
    }
    producer.flush();
    return new Result(total, inWindow, byKind, windowStart, windowEnd, maxBehind / 1_000_000, errors.get(),
        firstError.get());
  }

  /** An event and the time it was scheduled for. */
  public record Scheduled(Population.Event event, long scheduledMillis) {}
}
