package io.authlifecycle.core.runtime;

import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import java.util.List;
import java.util.Map;

/**
 * A runnable component that is not a Kafka Streams worker (the IdP gateway): the local stack finds
 * it through {@link java.util.ServiceLoader} beside the {@link WorkerApp}s and starts it with the same
 * settings sources.
 */
public interface Launchable {

  String name();

  /** Settings of this component beyond the core ones. */
  List<Setting<?>> settings();

  /** Starts the component and returns at once; closing the handle stops it cleanly. */
  Launched launch(Settings settings) throws Exception;

  /** A started component: where its HTTP endpoint listens, and a clean stop. */
  interface Launched extends AutoCloseable {
    int httpPort();

    /** True once the component has stopped on an error it does not recover from (the runtime then exits). */
    default boolean failed() {
      return false;
    }

    /** What the component serves to the outside, by name (e.g. an API's URL), for the local stack to print. */
    default Map<String, String> endpoints() {
      return Map.of();
    }

    @Override
    void close();
  }
}
