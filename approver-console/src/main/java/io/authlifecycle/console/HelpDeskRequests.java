package io.authlifecycle.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryEvidence;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SignatureEnvelope;
import io.authlifecycle.avro.SignatureScheme;
import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.RegisteredKey;
import io.authlifecycle.core.approvals.RequestStatement;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.approvals.SignatureCheck;
import io.authlifecycle.core.topics.Topics;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A help-desk agent opens a recovery request: the form's fields become a {@code RecoveryRequest}
 * with the agent as requester, the agent's passkey signs its canonical bytes
 * ({@code RequestStatement.challenge}), and the signed request goes to {@code recovery.requests.v1},
 * where the recovery worker checks the signature and every rule again.
 */
final class HelpDeskRequests {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

  private final ConsoleServer server;
  private final Clock clock;
  private final Sessions sessions;
  private final ConsoleStore store;
  private final ConsoleAudit audit;
  private final Producer<String, byte[]> producer;
  private final Passkeys passkeys;
  /** Requests awaiting their assertion, by ceremony id (the ceremony itself holds the session). */
  private final Map<String, RecoveryRequest> pending = new ConcurrentHashMap<>();

  HelpDeskRequests(ConsoleServer server, Clock clock, Sessions sessions, ConsoleStore store, ConsoleAudit audit,
      Producer<String, byte[]> producer, Passkeys passkeys) {
    this.server = server;
    this.clock = clock;
    this.sessions = sessions;
    this.store = store;
    this.audit = audit;
    this.producer = producer;
    this.passkeys = passkeys;
  }

  void options(HttpExchange ex, Sessions.Session s, JsonNode body) throws IOException {
    Person agent = s.person;
    List<String> credentials = server.registry().keys().stream().filter(k -> k.person().equals(agent)
        && k.scheme() == SignatureScheme.WEBAUTHN && k.may(Role.HELP_DESK)).map(RegisteredKey::keyId).toList();
    if (credentials.isEmpty()) {
      refuse(s, agent.hrSubjectId(), "", "holds no help-desk passkey");
      ConsoleServer.json(ex, 403, ConsoleServer.error("you hold no help-desk passkey"));
      return;
    }
    RecoveryRequest draft;
    try {
      draft = draft(agent, body);
    } catch (IllegalArgumentException e) {
      ConsoleServer.json(ex, 400, ConsoleServer.error(e.getMessage()));
      return;
    }
    if (draft.getSubjectId().equals(agent.hrSubjectId())) {
      refuse(s, draft.getSubjectId(), draft.getRequestId(), "an agent cannot open a recovery request for themselves");
      ConsoleServer.json(ex, 403, ConsoleServer.error("you cannot open a recovery request for yourself"));
      return;
    }
    Sessions.Ceremony c = sessions.start(null, s.id, null, null, null);
    pending.put(c.id(), draft);
    ObjectNode out = ConsoleServer.json().createObjectNode().put("ceremony", c.id())
        .put("rpId", passkeys.relyingParty().rpId()).put("challenge", RequestStatement.challenge(draft, agent.personId()));
    credentials.forEach(out.putArray("allow")::add);
    ConsoleServer.json(ex, 200, out);
  }

  void finish(HttpExchange ex, Sessions.Session s, JsonNode body) throws IOException {
    String ceremonyId = ConsoleServer.text(body, "ceremony");
    RecoveryRequest request = ceremonyId == null ? null : pending.remove(ceremonyId);
    Optional<Sessions.Ceremony> c = sessions.take(ceremonyId);
    if (request == null || c.isEmpty() || !s.id.equals(c.get().sessionId())) {
      refuse(s, s.person.hrSubjectId(), "", "no request of this session awaits this assertion");
      ConsoleServer.json(ex, 400, ConsoleServer.error("no request of yours awaits this assertion; start again"));
      return;
    }
    SignatureEnvelope envelope;
    try {
      envelope = ConsoleServer.envelope(body);
    } catch (IllegalArgumentException e) {
      ConsoleServer.json(ex, 400, ConsoleServer.error(e.getMessage()));
      return;
    }
    SignatureCheck.Result checked = SignatureCheck.of(server.registry(), passkeys.relyingParty()).check(envelope,
        Role.HELP_DESK, p -> RequestStatement.canonicalBytes(request, p.personId()),
        keyId -> store.read(d -> d.signCounters.getOrDefault(keyId, 0L)));
    String why = null;
    if (checked.person().isPresent() && !checked.person().get().equals(s.person)) {
      why = "the assertion comes from a passkey of " + checked.person().get().personId() + ", not of the signed-in "
          + s.person.personId();
    } else if (!checked.valid()) {
      why = "the assertion does not sign this request: " + checked.reason();
    }
    if (why != null) {
      refuse(s, request.getSubjectId(), request.getRequestId(), why);
      ConsoleServer.json(ex, 403, ConsoleServer.error(why));
      return;
    }
    checked.signCount().ifPresent(n -> store.update(d -> d.signCounters.merge(envelope.getKeyId(), n, Math::max)));
    request.setSignatureEnvelope(envelope);
    try {
      producer.send(new ProducerRecord<>(Topics.RECOVERY_REQUESTS.name(), request.getSubjectId(),
          Topics.RECOVERY_REQUESTS.valueSerde().serializer().serialize(Topics.RECOVERY_REQUESTS.name(), request))).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ConsoleServer.json(ex, 503, ConsoleServer.error("interrupted; the request may not have been sent"));
      return;
    } catch (ExecutionException e) {
      ConsoleServer.json(ex, 503, ConsoleServer.error("the request could not be sent: " + e.getCause().getMessage()));
      return;
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("requestId", request.getRequestId());
    details.put("requesterId", s.person.personId());
    details.put("requesterSubjectId", s.person.hrSubjectId());
    details.put("credentialId", envelope.getKeyId());
    audit.record(request.getSubjectId(), "console.request.sent", AuditOutcome.REQUESTED, Severity.MEDIUM,
        s.person.personId() + " signed recovery request " + request.getRequestId() + " with a passkey", details, clock.instant());
    ConsoleServer.json(ex, 200, ConsoleServer.json().createObjectNode().put("requestId", request.getRequestId())
        .put("message", "Request " + request.getRequestId() + " signed and sent; the recovery worker checks it and asks "
            + "for approvals."));
  }

  /** The request the form describes, with the agent as requester; the message says which field is wrong. */
  private RecoveryRequest draft(Person agent, JsonNode body) {
    String subjectId = required(body, "subjectId");
    if (!ID.matcher(subjectId).matches()) {
      throw new IllegalArgumentException("the subject id is not an id");
    }
    RecoveryReason reason = choice(RecoveryReason.class, ConsoleServer.text(body, "reason"), "reason");
    EvidenceMethod method = choice(EvidenceMethod.class, ConsoleServer.text(body, "method"), "evidence method");
    String levelText = ConsoleServer.text(body, "level");
    IdentityAssuranceLevel level = levelText == null || levelText.isBlank() ? IdentityAssuranceLevel.UNKNOWN
        : IdentityAssuranceLevel.valueOf(levelText);
    String reference = blankToNull(ConsoleServer.text(body, "reference"));
    String comment = blankToNull(ConsoleServer.text(body, "comment"));
    if ((reference != null && reference.length() > 200) || (comment != null && comment.length() > 500)) {
      throw new IllegalArgumentException("the reference (200) or comment (500 characters) is too long");
    }
    String lostText = ConsoleServer.text(body, "lost");
    List<String> lost = lostText == null ? List.of() : Arrays.stream(lostText.split(",")).map(String::strip)
        .filter(x -> !x.isEmpty()).toList();
    if (lost.size() > 20 || lost.stream().anyMatch(x -> !ID.matcher(x).matches())) {
      throw new IllegalArgumentException("the lost factors are up to 20 authenticator ids, comma-separated");
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    return RecoveryRequest.newBuilder().setEventId("console-" + Sessions.random(16)).setEventTime(now)
        .setRequestId("con-" + Sessions.random(9)).setKind(RecoveryRequestKind.OPEN).setSubjectId(subjectId)
        .setChannel(RecoveryChannel.HELP_DESK).setReason(reason).setRequesterId(agent.personId())
        .setEvidence(List.of(RecoveryEvidence.newBuilder().setMethod(method).setReference(reference).setLevel(level)
            .setVerifiedAt(now).build()))
        .setLostAuthenticatorIds(lost).setComment(comment).build();
  }

  private void refuse(Sessions.Session s, String subjectId, String requestId, String why) {
    audit.record(subjectId, "console.request.refused", AuditOutcome.REFUSED, Severity.HIGH, why,
        Map.of("requesterId", s.person.personId(), "requesterSubjectId", s.person.hrSubjectId(), "requestId", requestId),
        clock.instant());
  }

  private static String required(JsonNode body, String field) {
    String value = ConsoleServer.text(body, field);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value.strip();
  }

  private static <E extends Enum<E>> E choice(Class<E> type, String value, String what) {
    try {
      E e = Enum.valueOf(type, String.valueOf(value));
      if (!e.name().equals("UNKNOWN")) {
        return e;
      }
    } catch (IllegalArgumentException e) {
      // below
    }
    throw new IllegalArgumentException("choose a " + what);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
