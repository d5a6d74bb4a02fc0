package io.authlifecycle.ingest.mdm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.MethodNotAllowedException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.core.streams.InputValidator;
import io.authlifecycle.core.streams.WorkerMetrics;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.ingest.IngestAudit;
import io.authlifecycle.ingest.http.ApiRequest;
import io.authlifecycle.ingest.http.ApiResponse;
import io.authlifecycle.ingest.http.Endpoint;
import io.authlifecycle.ingest.http.StrictJson;
import io.authlifecycle.ingest.state.Journal;
import io.authlifecycle.ingest.state.KafkaUnavailableException;
import io.authlifecycle.ingest.state.StateRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.AvroRuntimeException;

/**
 * {@code POST /mdm/devices/events}: one device state change as JSON
 * ({@code deviceId}, {@code owner}, {@code state}, {@code time}, optional {@code reason},
 * {@code eventId} and {@code source}), published as a {@code DeviceEvent} keyed by device. A retry
 * of an event already accepted (same {@code eventId}, or without one the same device, state and
 * time) writes nothing and is answered 200; a new one 202 once committed.
 */
public final class DeviceWebhook implements Endpoint {

  public static final String CONTEXT = "/mdm/devices/events";
  static final Set<String> FIELDS = Set.of("eventId", "deviceId", "owner", "state", "time", "reason", "source");
  /** Event ids remembered per device to recognise retries. */
  static final int REMEMBERED = 64;

  private final String worker;
  private final Journal journal;
  private final InputValidator validator;
  private final WorkerMetrics metrics;
  private final Clock clock;

  public DeviceWebhook(String worker, Journal journal, InputValidator validator, WorkerMetrics metrics, Clock clock) {
    this.worker = worker;
    this.journal = journal;
    this.validator = validator;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public ApiResponse handle(ApiRequest request) throws ScimException, KafkaUnavailableException {
    if (!request.path().equals("/")) {
      throw new ResourceNotFoundException("no endpoint " + CONTEXT + request.path());
    }
    if (!request.method().equals("POST")) {
      throw new MethodNotAllowedException(request.method() + " is not allowed on " + CONTEXT + " (allowed: POST)");
    }
    Instant now = clock.instant();
    DeviceEvent event = parse(request, now);
    boolean accepted = journal.<Boolean, ScimException>write((state, staging) -> {
      List<String> seen = state.deviceEventIds(event.getDeviceId());
      if (seen.contains(event.getEventId())) {
        return false;
      }
      staging.publish(Topics.MDM_DEVICE_EVENTS, event.getDeviceId(), event);
      List<String> remembered = new ArrayList<>(seen);
      remembered.add(event.getEventId());
      staging.remember(new StateRecord.Device(event.getDeviceId(),
          remembered.subList(Math.max(0, remembered.size() - REMEMBERED), remembered.size())));
      Map<String, String> details = new LinkedHashMap<>();
      details.put("deviceId", event.getDeviceId());
      details.put("state", event.getType().name());
      details.put("eventTime", event.getEventTime().toString());
      staging.audit(IngestAudit.published(IngestAudit.DEVICE_EVENT_PUBLISHED, event.getOwnerSubjectId(), request,
          event.getEventId(), "device " + event.getDeviceId() + " " + event.getType() + " from an MDM webhook", details), now);
      return true;
    });
    if (accepted) {
      metrics.counter("lifecycle.ingest.events", "topic", Topics.MDM_DEVICE_EVENTS.name(), "type", event.getType().name())
          .increment();
      metrics.audit(IngestAudit.DEVICE_EVENT_PUBLISHED, "INFO");
    } else {
      metrics.counter("lifecycle.ingest.replays", "endpoint", "mdm").increment();
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode()
        .put("status", accepted ? "accepted" : "duplicate")
        .put("eventId", event.getEventId())
        .put("deviceId", event.getDeviceId())
        .put("state", event.getType().name());
    return new ApiResponse(accepted ? 202 : 200, new LinkedHashMap<>(Map.of("Content-Type", "application/json")),
        body.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The body as a {@code DeviceEvent}, checked as strictly as a worker checks what it reads. */
  DeviceEvent parse(ApiRequest request, Instant now) throws BadRequestException {
    JsonNode body;
    try {
      body = StrictJson.READER.readTree(request.body());
    } catch (IOException e) {
      throw BadRequestException.invalidSyntax("the body is not JSON: " + e.getMessage());
    }
    if (body == null || !body.isObject()) {
      throw BadRequestException.invalidSyntax("the body must be a JSON object");
    }
    Set<String> unknown = new TreeSet<>();
    for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw BadRequestException.invalidSyntax("unknown attributes " + unknown + "; the body takes " + new TreeSet<>(FIELDS));
    }
    String deviceId = text(body, "deviceId", true);
    String owner = text(body, "owner", true);
    String stateName = text(body, "state", true);
    String timeText = text(body, "time", true);
    DeviceEventType state = DeviceStates.parse(stateName).orElseThrow(() -> BadRequestException.invalidValue(
        "state '" + stateName + "' is not a device state: use one of ENROLLED, LOST, STOLEN, WIPED, RETIRED, "
            + "NONCOMPLIANT, COMPLIANT, FOUND, or an Intune / Jamf name from the README"));
    Instant time;
    try {
      time = OffsetDateTime.parse(timeText).toInstant();
    } catch (DateTimeParseException e) {
      throw BadRequestException.invalidValue("time '" + timeText + "' is not an ISO-8601 date-time with an offset");
    }
    String eventId = text(body, "eventId", false);
    DeviceEvent event;
    try {
      event = DeviceEvent.newBuilder()
          .setEventId(eventId != null ? eventId : Ids.derive(worker, "mdm", deviceId, state.name(), time.toString()))
          .setEventTime(time)
          .setDeviceId(deviceId)
          .setOwnerSubjectId(owner)
          .setType(state)
          .setReason(text(body, "reason", false))
          .setSource("mdm:" + request.client().id() + (body.hasNonNull("source") ? ":" + text(body, "source", false) : ""))
          .build();
    } catch (AvroRuntimeException e) {
      throw BadRequestException.invalidValue("not a valid device event: " + e.getMessage());
    }
    List<String> problems = validator.problems(Topics.MDM_DEVICE_EVENTS, deviceId, event, now);
    if (!problems.isEmpty()) {
      throw BadRequestException.invalidValue("the device event would be dead-lettered: " + String.join("; ", problems));
    }
    return event;
  }

  private static String text(JsonNode body, String name, boolean required) throws BadRequestException {
    JsonNode node = body.get(name);
    if (node == null || node.isNull()) {
      if (required) {
        throw BadRequestException.invalidValue(name + " is required");
      }
      return null;
    }
    if (!node.isTextual()) {
      throw BadRequestException.invalidSyntax(name + " must be a string, not " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return node.asText();
  }
}
