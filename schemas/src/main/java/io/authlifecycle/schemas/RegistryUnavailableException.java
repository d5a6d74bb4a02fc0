package io.authlifecycle.schemas;

import org.apache.kafka.common.errors.RetriableException;

/**
 * The schema registry could not be asked (down, unreachable, refusing the credentials): the record
 * itself may be fine, so callers retry or stop rather than dead-letter it.
 */
public final class RegistryUnavailableException extends RetriableException {

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
