package io.authlifecycle.ingest.state;

/** Kafka could not take a write (or the state could not be read) in time: nothing was accepted. */
public final class KafkaUnavailableException extends Exception {

  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
