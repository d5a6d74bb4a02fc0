package io.authlifecycle.e2e.bench;

import io.authlifecycle.e2e.bench.Mix.EventKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One measured open-loop run against one system (the workers, or the baseline pipe): the load at
 * a fixed rate, the commit probe, the samplers, then the lag at the end of the schedule and the
 * time until every consumer group has caught up with it.
 */
final class Phase {

  /** What is measured and how it is reached. */
  record Target(String label, ChildJvm jvm, Map<String, Integer> httpPorts, GroupProgress groups, CommitProbe probe,
      Function<OpenLoop.Scheduled, ProducerRecord<byte[], byte[]>> toRecord, Map<String, Long> otherPids,
      Path jfrFile) {}

  /** What one run measured. */
  record Result(OpenLoop.Result load, Map<String, Long> lagAtEnd, long caughtUpMillis, double processedPerSecond,
      Map<String, Double> groupRatesInWindow, Map<String, Double> cores, double maxHeapBytes, double gcSecondsInWindow,
      long endMillis, Map<String, Map<String, Double>> threadTime) {

    boolean keptUp(double rate) {
      // Behind by less than one second of input when the schedule ended, and caught up after it.
      return caughtUpMillis > 0 && lagAtEnd.values().stream().allMatch(l -> l <= rate);
    }
  }

  /** A run's figures with the latencies its probe saw. */
  record Measured(Result result, CommitProbe probe) {}

  private Phase() {}

  static Result run(Target target, double rate, Duration warmup, Duration measure, Mix mix, Population population,
      long seed, Duration drainTimeout, String bootstrap) throws ExecutionException, InterruptedException {
    Map<String, Long> pids = new LinkedHashMap<>();
    pids.put("measured JVM", target.jvm().pid());
    pids.putAll(target.otherPids());
    pids.put("bench driver", ProcessHandle.current().pid());
    Map<String, LongSupplier> counters = new LinkedHashMap<>();
    for (String group : target.groups().groups()) {
      counters.put(group, () -> {
        try {
          return target.groups().committedTotal(group);
        } catch (ExecutionException e) {
          throw new IllegalStateException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      });
    }
    System.out.printf("%s: open loop at %,.0f events/s for %ds warm-up + %ds measured (%s)%n", target.label(), rate,
        warmup.toSeconds(), measure.toSeconds(), mix);
    OpenLoop.Result load;
    Map<String, Long> lagAtEnd;
    long caughtUp;
    long end;
    JfrControl jfr = new JfrControl(target.jvm().pid(), target.jfrFile());
    try (Sampler sampler = new Sampler(pids, java.util.Optional.of(target.jvm().pid()), counters);
        KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      long start = System.currentTimeMillis() + 500;
      long windowStart = start + warmup.toMillis();
      target.probe().window(windowStart, windowStart + measure.toMillis());
      Thread jfrStarter = jfr.startAt(windowStart);
      load = OpenLoop.run(start, rate, warmup, measure, mix, population, seed, producer, target.toRecord(),
          (event, scheduled) -> {
            if (event.kind() != EventKind.USED) {
              target.probe().cause(event.eventId(), scheduled);
            }
          });
      end = System.currentTimeMillis();
      jfrStarter.join();
      jfr.stop();
      Map<String, Map<String, Double>> threadTime = ThreadTime.read(target.httpPorts());
      Map<TopicPartition, Long> ends = target.groups().endOffsets();
      lagAtEnd = target.groups().behind(ends);
      System.out.printf("%s: schedule done (%,d sent, at most %,d ms behind schedule); lag at the end %s%n",
          target.label(), load.sent(), load.maxBehindMillis(), lagAtEnd);
      caughtUp = target.groups().awaitCaughtUp(ends, drainTimeout, Duration.ofMillis(100), target.label());
      if (!target.probe().awaitReadToEnd(Duration.ofSeconds(30))) {
        System.out.printf("%s: the probe had not read every committed record 30 s after the drain%n", target.label());
      }
      sampler.close();
      return result(load, lagAtEnd, caughtUp, end, sampler, threadTime);
    }
  }

  private static Result result(OpenLoop.Result load, Map<String, Long> lagAtEnd, long caughtUp, long end,
      Sampler sampler, Map<String, Map<String, Double>> threadTime) {
    Sampler.Sample from = sampler.at(load.windowStartMillis());
    Sampler.Sample to = sampler.at(load.windowEndMillis());
    double seconds = Math.max(0.001, (to.millis() - from.millis()) / 1000.0);
    Map<String, Double> cores = new LinkedHashMap<>();
    double known = 0;
    for (String process : to.cpu().keySet()) {
      if (from.cpu().containsKey(process)) {
        double c = (to.cpu().get(process) - from.cpu().get(process)) / seconds;
        cores.put(process, c);
        known += c;
      }
    }
    double machine = (to.machineBusy() - from.machineBusy()) / seconds;
    cores.put("whole machine", machine);
    cores.put("everything else on the machine", machine - known);
    Map<String, Double> rates = new LinkedHashMap<>();
    to.committed().forEach((group, total) -> {
      Long before = from.committed().get(group);
      if (before != null) {
        rates.put(group, (total - before) / seconds);
      }
    });
    double processed = caughtUp > 0 ? load.sentInWindow() / ((caughtUp - load.windowStartMillis()) / 1000.0) : Double.NaN;
    return new Result(load, lagAtEnd, caughtUp, processed, rates, cores,
        sampler.maxHeapBetween(load.windowStartMillis(), load.windowEndMillis()), to.gcSeconds() - from.gcSeconds(), end,
        threadTime);
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Starts and stops a Flight Recorder recording of the measured JVM around the window, through {@code jcmd}. */
  private record JfrControl(long pid, Path file) {

    Thread startAt(long millis) {
      Thread t = new Thread(() -> {
        try {
          Thread.sleep(Math.max(0, millis - System.currentTimeMillis()));
          if (file != null) {
            jcmd("JFR.start", "name=bench", "settings=profile", "filename=" + file);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "bench-jfr-start");
      t.start();
      return t;
    }

    void stop() {
      if (file != null) {
        jcmd("JFR.stop", "name=bench");
      }
    }

    private void jcmd(String... args) {
      try {
        List<String> command = new java.util.ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
          System.out.println("jcmd " + String.join(" ", args) + " failed: " + out.strip());
        }
      } catch (java.io.IOException e) {
        System.out.println("jcmd " + String.join(" ", args) + " failed: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
