package io.authlifecycle.ingest.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.PreconditionFailedException;
import com.unboundid.scim2.common.exceptions.ResourceConflictException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.messages.PatchRequest;
import com.unboundid.scim2.common.types.Meta;
import com.unboundid.scim2.common.utils.JsonUtils;
import com.unboundid.scim2.common.utils.Parser;
import com.unboundid.scim2.server.utils.SchemaAwareFilterEvaluator;
import com.unboundid.scim2.server.utils.SchemaChecker;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.streams.Ids;
import io.authlifecycle.core.streams.InputValidator;
import io.authlifecycle.core.streams.WorkerMetrics;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.ingest.IngestAudit;
import io.authlifecycle.ingest.http.ApiRequest;
import io.authlifecycle.ingest.http.ApiResponse;
import io.authlifecycle.ingest.scim.UserLifecycle.Transition;
import io.authlifecycle.ingest.state.IngestState;
import io.authlifecycle.ingest.state.Journal;
import io.authlifecycle.ingest.state.KafkaUnavailableException;
import io.authlifecycle.ingest.state.Staging;
import io.authlifecycle.ingest.state.StateRecord;
import io.authlifecycle.ingest.state.StoredUser;
import io.authlifecycle.ingest.state.UserPhase;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import org.apache.avro.AvroRuntimeException;

/**
 * The {@code /Users} resource: create, read, list and filter, replace, patch and delete, each write
 * checked against the schemas by the SDK's schema checker, turned into at most one HR event by
 * {@link UserLifecycle}, validated as the workers validate it, and committed with the user's new
 * version and its audit in one transaction. A write that changes nothing writes nothing.
 */
final class Users {

  private final String worker;
  private final Journal journal;
  private final InputValidator validator;
  private final WorkerMetrics metrics;
  private final Clock clock;
  private final int maxResults;
  private final SchemaChecker checker = new SchemaChecker(ScimSchemas.USERS);

  /** What a write did: the user as it now stands, the event it published (null: none), whether it was a replay. */
  private record Written(StoredUser user, WorkerEventType event, boolean replay) {}

  Users(String worker, Journal journal, InputValidator validator, WorkerMetrics metrics, Clock clock, int maxResults) {
    this.worker = worker;
    this.journal = journal;
    this.validator = validator;
    this.metrics = metrics;
    this.clock = clock;
    this.maxResults = maxResults;
  }

  /** The SCIM id of a subject's user: derived from its employeeNumber, so a re-created user keeps it. */
  static String idOf(String subjectId) {
    return Ids.derive("scim-user", subjectId);
  }

  ApiResponse create(ApiRequest request) throws ScimException, KafkaUnavailableException {
    // RFC 7644 3.3 and 3.5.1: read-only attributes a client sends (id, meta) are ignored.
    ObjectNode resource = checker.removeReadOnlyAttributes(object(request.body()));
    checker.checkCreate(resource).throwSchemaExceptions();
    UserProfile user = UserProfile.of(resource);
    Instant now = clock.instant();
    Written created = journal.<Written, ScimException>write((state, staging) -> {
      String id = idOf(user.subjectId());
      Optional<StoredUser> previous = state.user(id);
      if (previous.isPresent() && !previous.get().deleted()) {
        throw new ResourceConflictException("employeeNumber " + user.subjectId() + " is already provisioned as /Users/"
            + id, ResourceConflictException.UNIQUENESS, null);
      }
      userNameFree(state, user.userName(), id);
      UserPhase before = previous.map(p -> p.phaseAt(now)).orElse(null);
      Transition t = UserLifecycle.create(before, user, now);
      return commit(state, staging, request, id, previous.orElse(null), resource, user, t, false, now);
    });
    count(created);
    return present(created.user(), request.baseUrl(), 201)
        .withHeader("Location", request.baseUrl() + "/Users/" + created.user().id());
  }

  ApiResponse get(ApiRequest request, String id) throws ScimException, KafkaUnavailableException {
    StoredUser user = journal.read(state -> state.user(id)).filter(u -> !u.deleted())
        .orElseThrow(() -> notFound(id));
    if (request.header("If-None-Match").map(user.etag()::equals).orElse(false)) {
      return ApiResponse.empty(304).withHeader("ETag", user.etag());
    }
    return present(user, request.baseUrl(), 200);
  }

  ApiResponse list(ApiRequest request) throws ScimException, KafkaUnavailableException {
    Filter filter = null;
    String raw = request.query().get("filter");
    if (raw != null) {
      filter = Parser.parseFilter(raw);
      checker.checkSearch(filter).throwSchemaExceptions();
    }
    int start = Math.max(1, intParam(request, "startIndex", 1));
    int count = Math.min(maxResults, Math.max(0, intParam(request, "count", maxResults)));
    List<StoredUser> users = journal.read(IngestState::liveUsers);
    List<GenericScimResource> matching = new ArrayList<>();
    SchemaAwareFilterEvaluator evaluator = new SchemaAwareFilterEvaluator(ScimSchemas.USERS);
    for (StoredUser user : users) {
      GenericScimResource resource = resource(user, request.baseUrl());
      if (filter == null || filter.visit(evaluator, resource.getObjectNode())) {
        matching.add(resource);
      }
    }
    List<GenericScimResource> page = matching.subList(Math.min(start - 1, matching.size()),
        Math.min(start - 1 + count, matching.size()));
    return ApiResponse.scim(200, new ListResponse<>(matching.size(), List.copyOf(page), start, page.size()));
  }

  ApiResponse replace(ApiRequest request, String id) throws ScimException, KafkaUnavailableException {
    ObjectNode incoming = checker.removeReadOnlyAttributes(object(request.body()));
    Instant now = clock.instant();
    Written replaced = journal.<Written, ScimException>write((state, staging) -> {
      StoredUser stored = live(state, id, request);
      checker.checkReplace(incoming, resource(stored, request.baseUrl()).getObjectNode()).throwSchemaExceptions();
      return change(state, staging, request, stored, incoming, now);
    });
    count(replaced);
    return present(replaced.user(), request.baseUrl(), 200);
  }

  ApiResponse patch(ApiRequest request, String id) throws ScimException, KafkaUnavailableException {
    PatchRequest patch;
    try {
      patch = JsonUtils.getObjectReader().forType(PatchRequest.class).readValue(request.body());
    } catch (IOException e) {
      throw BadRequestException.invalidSyntax("not a SCIM PatchOp request: " + message(e));
    }
    Instant now = clock.instant();
    Written patched = journal.<Written, ScimException>write((state, staging) -> {
      StoredUser stored = live(state, id, request);
      checker.checkModify(patch, stored.resource()).throwSchemaExceptions();
      GenericScimResource target = new GenericScimResource(stored.resource().deepCopy());
      patch.apply(target);
      return change(state, staging, request, stored, checker.removeReadOnlyAttributes(target.getObjectNode()), now);
    });
    count(patched);
    return present(patched.user(), request.baseUrl(), 200);
  }

  ApiResponse delete(ApiRequest request, String id) throws ScimException, KafkaUnavailableException {
    Instant now = clock.instant();
    Written deleted = journal.<Written, ScimException>write((state, staging) -> {
      StoredUser stored = live(state, id, request);
      UserProfile user = UserProfile.of(stored.resource());
      Transition t = UserLifecycle.delete(stored.phaseAt(now), stored.leaverEffective(), now);
      return commit(state, staging, request, id, stored, stored.resource(), user, t, true, now);
    });
    count(deleted);
    return ApiResponse.empty(204);
  }

  /** Counted once committed, so a write answered 503 counts nothing. */
  private void count(Written written) {
    if (written.replay()) {
      metrics.counter("lifecycle.ingest.replays", "endpoint", "scim").increment();
    } else if (written.event() != null) {
      metrics.counter("lifecycle.ingest.events", "topic", Topics.HR_WORKER_EVENTS.name(), "type", written.event().name())
          .increment();
      metrics.audit(IngestAudit.HR_EVENT_PUBLISHED, "INFO");
    } else {
      metrics.audit(IngestAudit.SCIM_RECORDED, "INFO");
    }
  }

  /** A PUT or PATCH result: nothing if it equals what is stored (a replay), else the next version. */
  private Written change(IngestState state, Staging staging, ApiRequest request, StoredUser stored,
      ObjectNode resource, Instant now) throws ScimException {
    if (resource.equals(stored.resource())) {
      return new Written(stored, null, true);
    }
    UserProfile before = UserProfile.of(stored.resource());
    UserProfile after = UserProfile.of(resource);
    if (!after.subjectId().equals(before.subjectId())) {
      throw BadRequestException.mutability("employeeNumber is the subject id and cannot change ("
          + before.subjectId() + " → " + after.subjectId() + "); create a new user instead");
    }
    userNameFree(state, after.userName(), stored.id());
    Transition t = UserLifecycle.change(stored.phaseAt(now), stored.leaverEffective(), before, after, now);
    return commit(state, staging, request, stored.id(), stored, resource, after, t, false, now);
  }

  /** Stages the event (if any), the user's next version and the audit record. */
  private Written commit(IngestState state, Staging staging, ApiRequest request, String id, StoredUser previous,
      ObjectNode resource, UserProfile user, Transition t, boolean deleted, Instant now) throws ScimException {
    long version = previous == null ? 1 : previous.version() + 1;
    Map<String, String> details = new LinkedHashMap<>();
    details.put("scimId", id);
    details.put("version", String.valueOf(version));
    details.put("phase", t.phase().name());
    if (t.publishes()) {
      String eventId = HrEvents.eventId(worker, id, version);
      WorkerEvent event = validated(HrEvents.of(t, user, managerSubject(state, user.managerRef()), eventId,
          "scim:" + request.client().id(), now), now);
      staging.publish(Topics.HR_WORKER_EVENTS, user.subjectId(), event);
      details.put("eventType", t.event().name());
      details.put("eventId", eventId);
      details.put("effectiveTime", t.effectiveTime().toString());
      staging.audit(IngestAudit.published(IngestAudit.HR_EVENT_PUBLISHED, user.subjectId(), request, eventId,
          t.event() + " for " + user.subjectId() + " from a SCIM " + request.method(), details), now);
    } else {
      staging.audit(IngestAudit.recorded(user.subjectId(), request, details), now);
    }
    StoredUser next = new StoredUser(id, version, user.subjectId(), user.userName(), t.phase(), t.leaverEffective(),
        deleted, previous == null || previous.deleted() ? now : previous.created(), now, resource);
    staging.remember(new StateRecord.User(next));
    return new Written(next, t.event(), false);
  }

  /** The same checks a worker makes on the record it reads, and the record's own schema. */
  private WorkerEvent validated(WorkerEvent.Builder builder, Instant now) throws BadRequestException {
    WorkerEvent event;
    try {
      event = builder.build();
    } catch (AvroRuntimeException e) {
      throw BadRequestException.invalidValue("the user does not make a valid HR event: " + e.getMessage());
    }
    List<String> problems = validator.problems(Topics.HR_WORKER_EVENTS, event.getSubjectId(), event, now);
    if (!problems.isEmpty()) {
      throw BadRequestException.invalidValue("the HR event this request makes would be dead-lettered: "
          + String.join("; ", problems));
    }
    return event;
  }

  /** The manager's subject id: the manager's user when the reference is one of ours, else the reference as given. */
  private static String managerSubject(IngestState state, String ref) {
    if (ref == null) {
      return null;
    }
    return state.user(ref).map(StoredUser::subjectId).orElse(ref);
  }

  private static void userNameFree(IngestState state, String userName, String id) throws ResourceConflictException {
    Optional<StoredUser> holder = state.byUserName(userName);
    if (holder.isPresent() && !holder.get().id().equals(id)) {
      throw new ResourceConflictException("userName " + userName + " is already taken by /Users/" + holder.get().id(),
          ResourceConflictException.UNIQUENESS, null);
    }
  }

  private static StoredUser live(IngestState state, String id, ApiRequest request) throws ScimException {
    StoredUser stored = state.user(id).filter(u -> !u.deleted()).orElseThrow(() -> notFound(id));
    Optional<String> ifMatch = request.header("If-Match");
    if (ifMatch.isPresent() && !ifMatch.get().strip().equals("*") && !ifMatch.get().strip().equals(stored.etag())) {
      throw new PreconditionFailedException("the user is at version " + stored.etag() + ", not " + ifMatch.get()
          + "; read it again before changing it");
    }
    return stored;
  }

  private static ResourceNotFoundException notFound(String id) {
    return new ResourceNotFoundException("no user /Users/" + id);
  }

  private ApiResponse present(StoredUser user, String baseUrl, int status) {
    return ApiResponse.scim(status, resource(user, baseUrl)).withHeader("ETag", user.etag());
  }

  /** The resource as served: the stored attributes with id and meta (version = ETag). */
  static GenericScimResource resource(StoredUser user, String baseUrl) {
    GenericScimResource resource = new GenericScimResource(user.resource().deepCopy());
    resource.setId(user.id());
    Meta meta = new Meta();
    meta.setResourceType("User");
    meta.setCreated(calendar(user.created()));
    meta.setLastModified(calendar(user.lastModified()));
    meta.setLocation(URI.create(baseUrl + "/Users/" + user.id()));
    meta.setVersion(user.etag());
    resource.setMeta(meta);
    return resource;
  }

  private static Calendar calendar(Instant instant) {
    Calendar calendar = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    calendar.setTimeInMillis(instant.toEpochMilli());
    return calendar;
  }

  static ObjectNode object(byte[] body) throws BadRequestException {
    JsonNode node;
    try {
      node = JsonUtils.getObjectReader().readTree(body);
    } catch (IOException e) {
      throw BadRequestException.invalidSyntax("the body is not JSON: " + message(e));
    }
    if (node == null || !node.isObject()) {
      throw BadRequestException.invalidSyntax("the body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  private static String message(IOException e) {
    return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
  }

  private static int intParam(ApiRequest request, String name, int fallback) throws BadRequestException {
    String raw = request.query().get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw BadRequestException.invalidValue(name + " must be an integer");
    }
  }
}
