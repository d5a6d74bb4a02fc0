package io.authlifecycle.ingest.http;

import com.unboundid.scim2.common.exceptions.ScimException;
import io.authlifecycle.ingest.state.KafkaUnavailableException;

/** Serves the requests of one context; refuses with a SCIM exception, or fails when Kafka is unavailable. */
@FunctionalInterface
public interface Endpoint {
  ApiResponse handle(ApiRequest request) throws ScimException, KafkaUnavailableException;
}
