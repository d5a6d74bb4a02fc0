package io.authlifecycle.deploy;

import java.io.IOException;

/**
 * The broker process's {@code main}: Kafka's own {@code kafka.Kafka}, plus a watchdog that shuts
 * the broker down cleanly when the local stack closes its standard input or dies, so no orphaned
 * broker keeps the port and the data folder.
 */
public final class BrokerMain {

  private BrokerMain() {}

  /** Arguments: the server.properties file, as for {@code kafka.Kafka}. */
  public static void main(String[] args) throws Exception {
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // Nothing is ever sent; end of input means the parent is gone or wants the broker to stop.
        }
      } catch (IOException e) {
        // A broken pipe means the same as end of input.
      }
      // Runs Kafka's shutdown hook: a controlled shutdown that leaves the log clean.
      System.exit(0);
    }, "local-stack-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    kafka.Kafka.main(args);
  }
}
