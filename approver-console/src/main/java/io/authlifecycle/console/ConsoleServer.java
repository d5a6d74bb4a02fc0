package io.authlifecycle.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.ApprovalStatus;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Decision;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.SignatureEnvelope;
import io.authlifecycle.avro.SignatureScheme;
import io.authlifecycle.core.approvals.ApprovalStatement;
import io.authlifecycle.core.approvals.EnrollLinks;
import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.PersonKeyRegistry;
import io.authlifecycle.core.approvals.RegisteredKey;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.approvals.SignatureCheck;
import io.authlifecycle.core.approvals.SignatureVerifier;
import io.authlifecycle.core.approvals.WebAuthnVerifier;
import io.authlifecycle.core.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP side (JDK server): pages, the static script, and the JSON API of the passkey
 * ceremonies. Every POST must come from a configured origin; every signed-in POST carries the
 * session's CSRF token; a decision is sent only with a fresh assertion, by the signed-in person's
 * passkey, over that decision's canonical bytes.
 */
final class ConsoleServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
  static final String COOKIE = "console_session";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private final HttpServer http;
  private final Clock clock;
  private final ConsoleConfig config;
  private final Sessions sessions;
  private final ConsoleStore store;
  private final ConsoleAudit audit;
  private final RequestBoard board;
  private final Producer<String, byte[]> producer;
  private final Passkeys passkeys;
  private final HelpDeskRequests requests;

  /** What the server needs from the settings. */
  record ConsoleConfig(List<String> personKeys, String enrollSecret) {}

  ConsoleServer(String host, int port, Clock clock, ConsoleConfig config, Sessions sessions, ConsoleStore store,
      ConsoleAudit audit, RequestBoard board, Producer<String, byte[]> producer, Passkeys passkeys) throws IOException {
    this.clock = clock;
    this.config = config;
    this.sessions = sessions;
    this.store = store;
    this.audit = audit;
    this.board = board;
    this.producer = producer;
    this.passkeys = passkeys;
    this.requests = new HelpDeskRequests(this, clock, sessions, store, audit, producer, passkeys);
    http = HttpServer.create(new InetSocketAddress(host, port), 0);
    http.createContext("/", this::handle);
    http.setExecutor(Executors.newFixedThreadPool(4));
    http.start();
  }

  int port() {
    return http.getAddress().getPort();
  }

  /** The registry the console signs people in with: person.keys and the passkeys enrolled here. */
  PersonKeyRegistry registry() {
    return registry(config.personKeys(), store.read(d -> List.copyOf(d.enrolled)));
  }

  static PersonKeyRegistry registry(List<String> personKeys, List<String> enrolled) {
    Set<String> entries = new LinkedHashSet<>(personKeys);
    entries.addAll(enrolled);
    return PersonKeyRegistry.parse(List.copyOf(entries));
  }

  /**
   * Why a newly enrolled entry cannot join the registry (the person registered with another HR
   * subject, the HR subject under another person id), or empty: one bad enrollment must not stop the console.
   */
  static Optional<String> unregistrable(List<String> personKeys, List<String> enrolled, String entry) {
    List<String> with = new java.util.ArrayList<>(enrolled);
    with.add(entry);
    try {
      registry(personKeys, with);
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(e.getMessage());
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      headers(ex);
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (method.equals("GET")) {
        get(ex, path);
      } else if (method.equals("POST")) {
        if (!originAllowed(ex)) {
          json(ex, 403, error("this request did not come from the console's own pages"));
          return;
        }
        post(ex, path);
      } else {
        send(ex, 405, "text/plain", "method not allowed");
      }
    } catch (RuntimeException e) {
      LOG.warn("console request {} failed", ex.getRequestURI().getPath(), e);
      try {
        send(ex, 500, "text/plain", "internal error");
      } catch (IOException | RuntimeException ignored) {
        // the response may have started
      }
    }
  }

  private void get(HttpExchange ex, String path) throws IOException {
    if (path.equals("/static/console.js")) {
      resource(ex, "console/console.js", "text/javascript; charset=utf-8");
    } else if (path.equals("/static/console.css")) {
      resource(ex, "console/console.css", "text/css; charset=utf-8");
    } else if (path.equals("/health")) {
      send(ex, 200, "text/plain", "ok");
    } else if (path.equals("/ready")) {
      send(ex, board.ready() ? 200 : 503, "text/plain", board.ready() ? "ready" : "not reading the approval requests yet");
    } else if (path.equals("/enroll")) {
      String token = query(ex).get("token");
      try {
        EnrollLinks.Grant grant = EnrollLinks.verify(config.enrollSecret(), token, clock.instant());
        if (linkUsed(grant)) {
          html(ex, 410, Pages.error("This enrollment link was already used."));
        } else {
          html(ex, 200, Pages.enroll(grant, token));
        }
      } catch (IllegalArgumentException e) {
        html(ex, 400, Pages.error(e.getMessage()));
      }
    } else if (path.equals("/") || path.equals("/signin")) {
      Optional<Sessions.Session> s = session(ex);
      if (s.isPresent() && path.equals("/")) {
        redirect(ex, "/requests");
      } else {
        html(ex, 200, Pages.signIn());
      }
    } else if (path.equals("/requests")) {
      Optional<Sessions.Session> s = session(ex);
      if (s.isEmpty()) {
        redirect(ex, "/signin");
        return;
      }
      html(ex, 200, Pages.waiting(s.get(), board.waiting(), r -> notOffered(s.get().person, r)));
    } else if (path.equals("/requests/new")) {
      Optional<Sessions.Session> s = session(ex);
      if (s.isEmpty()) {
        redirect(ex, "/signin");
        return;
      }
      html(ex, 200, Pages.openRequest(s.get()));
    } else if (path.startsWith("/requests/")) {
      Optional<Sessions.Session> s = session(ex);
      if (s.isEmpty()) {
        redirect(ex, "/signin");
        return;
      }
      String[] parts = path.substring("/requests/".length()).split("/");
      Optional<ApprovalRequested> found = parts.length == 2 ? board.find(decode(parts[0]), decode(parts[1])) : Optional.empty();
      if (found.isEmpty()) {
        html(ex, 404, Pages.error("No such recovery request."));
        return;
      }
      ApprovalRequested r = found.get();
      Person person = s.get().person;
      audit.record(r.getSubjectId(), "console.subject.viewed", AuditOutcome.RECORDED, Severity.INFO,
          person.personId() + " viewed recovery request " + r.getRequestId(),
          Map.of("requestId", r.getRequestId(), "viewerId", person.personId(), "viewerSubjectId", person.hrSubjectId()),
          clock.instant());
      html(ex, 200, Pages.request(s.get(), r, board.history(r.getSubjectId()), notOffered(person, r)));
    } else {
      send(ex, 404, "text/plain", "not found");
    }
  }

  private void post(HttpExchange ex, String path) throws IOException {
    JsonNode body;
    try (InputStream in = ex.getRequestBody()) {
      byte[] bytes = in.readNBytes(64 * 1024);
      body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
    } catch (IOException e) {
      json(ex, 400, error("the body is not JSON"));
      return;
    }
    switch (path) {
      case "/api/signin/options" -> signInOptions(ex);
      case "/api/signin/finish" -> signInFinish(ex, body);
      case "/api/enroll/options" -> enrollOptions(ex, body);
      case "/api/enroll/finish" -> enrollFinish(ex, body);
      case "/api/decide/options", "/api/decide/finish", "/api/request/options", "/api/request/finish", "/api/signout" -> {
        Optional<Sessions.Session> s = session(ex);
        if (s.isEmpty()) {
          json(ex, 401, error("not signed in, or the session timed out"));
          return;
        }
        String given = ex.getRequestHeaders().getFirst("X-CSRF-Token");
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
            s.get().csrf.getBytes(StandardCharsets.UTF_8))) {
          audit.record(s.get().person.hrSubjectId(), "console.request.refused", AuditOutcome.REFUSED, Severity.HIGH,
              "a POST to " + path + " without the session's CSRF token", Map.of("personId", s.get().person.personId()),
              clock.instant());
          json(ex, 403, error("missing or wrong CSRF token"));
          return;
        }
        if (path.equals("/api/signout")) {
          sessions.end(s.get().id);
          json(ex, 200, JSON.createObjectNode().put("message", "signed out"));
        } else if (path.equals("/api/decide/options")) {
          decideOptions(ex, s.get(), body);
        } else if (path.equals("/api/decide/finish")) {
          decideFinish(ex, s.get(), body);
        } else if (path.equals("/api/request/options")) {
          requests.options(ex, s.get(), body);
        } else {
          requests.finish(ex, s.get(), body);
        }
      }
      default -> json(ex, 404, error("not found"));
    }
  }

  private void signInOptions(HttpExchange ex) throws IOException {
    byte[] secret = Sessions.random(32).getBytes(StandardCharsets.US_ASCII);
    Sessions.Ceremony c = sessions.start(secret, null, null, null, null);
    json(ex, 200, JSON.createObjectNode().put("ceremony", c.id()).put("rpId", passkeys.relyingParty().rpId())
        .put("challenge", challengeOf(secret)));
  }

  private void signInFinish(HttpExchange ex, JsonNode body) throws IOException {
    Optional<Sessions.Ceremony> c = sessions.take(text(body, "ceremony"));
    if (c.isEmpty() || c.get().sessionId() != null || c.get().decision() != null || c.get().linkId() != null) {
      json(ex, 400, error("the sign-in challenge is unknown or expired; try again"));
      return;
    }
    Optional<RegisteredKey> key = registry().key(text(body, "id")).filter(k -> k.scheme() == SignatureScheme.WEBAUTHN);
    if (key.isEmpty()) {
      audit.record("unknown-passkey", "console.sign-in.refused", AuditOutcome.REFUSED, Severity.MEDIUM,
          "a passkey that is not registered", Map.of("credentialId", String.valueOf(text(body, "id"))), clock.instant());
      json(ex, 403, error("this passkey is not registered"));
      return;
    }
    Person person = key.get().person();
    SignatureVerifier.Result verified;
    try {
      verified = new WebAuthnVerifier(passkeys.relyingParty()).verify(key.get(), c.get().secret(), envelope(body),
          store.read(d -> d.signCounters.getOrDefault(key.get().keyId(), 0L)));
    } catch (IllegalArgumentException e) {
      verified = SignatureVerifier.Result.invalid(e.getMessage());
    }
    if (!verified.valid()) {
      audit.record(person.hrSubjectId(), "console.sign-in.refused", AuditOutcome.REFUSED, Severity.HIGH, verified.reason(),
          Map.of("personId", person.personId(), "credentialId", key.get().keyId()), clock.instant());
      json(ex, 403, error("the passkey sign-in does not verify"));
      return;
    }
    keepCounter(key.get().keyId(), verified);
    Sessions.Session s = sessions.open(person);
    audit.record(person.hrSubjectId(), "console.signed-in", AuditOutcome.RECORDED, Severity.INFO,
        person.personId() + " signed in with a passkey", Map.of("personId", person.personId(), "credentialId",
            key.get().keyId()), clock.instant());
    ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + s.id + "; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age="
        + sessions.idleTimeout().toSeconds());
    json(ex, 200, JSON.createObjectNode().put("personId", person.personId()));
  }

  private void enrollOptions(HttpExchange ex, JsonNode body) throws IOException {
    EnrollLinks.Grant grant;
    try {
      grant = EnrollLinks.verify(config.enrollSecret(), text(body, "token"), clock.instant());
    } catch (IllegalArgumentException e) {
      json(ex, 400, error(e.getMessage()));
      return;
    }
    if (linkUsed(grant)) {
      json(ex, 410, error("this enrollment link was already used"));
      return;
    }
    byte[] challenge = Sessions.random(32).getBytes(StandardCharsets.US_ASCII);
    Sessions.Ceremony c = sessions.start(challenge, null, null, null, grant.linkId());
    ObjectNode out = JSON.createObjectNode().put("ceremony", c.id()).put("rpId", passkeys.relyingParty().rpId())
        .put("challenge", io.authlifecycle.core.approvals.WebAuthnKeys.base64url(challenge))
        .put("userId", io.authlifecycle.core.approvals.WebAuthnKeys.base64url(grant.person().personId()
            .getBytes(StandardCharsets.UTF_8)))
        .put("userName", grant.person().personId());
    Passkeys.algorithms().forEach(out.putArray("algorithms")::add);
    json(ex, 200, out);
  }

  private void enrollFinish(HttpExchange ex, JsonNode body) throws IOException {
    EnrollLinks.Grant grant;
    try {
      grant = EnrollLinks.verify(config.enrollSecret(), text(body, "token"), clock.instant());
    } catch (IllegalArgumentException e) {
      json(ex, 400, error(e.getMessage()));
      return;
    }
    Optional<Sessions.Ceremony> c = sessions.take(text(body, "ceremony"));
    if (c.isEmpty() || !grant.linkId().equals(c.get().linkId())) {
      json(ex, 400, error("the enrollment challenge is unknown or expired; reload the link"));
      return;
    }
    Passkeys.Credential credential;
    try {
      credential = passkeys.register(c.get().secret(), text(body, "clientDataJSON"), text(body, "attestationObject"));
    } catch (IllegalArgumentException e) {
      audit.record(grant.person().hrSubjectId(), "console.enrollment.refused", AuditOutcome.REFUSED, Severity.HIGH,
          e.getMessage(), Map.of("personId", grant.person().personId()), clock.instant());
      json(ex, 400, error(e.getMessage()));
      return;
    }
    String entry = PersonKeyRegistry.passkeyEntry(grant.person(), grant.roles(), credential.credentialId(), credential.coseKey());
    Optional<String> conflict = unregistrable(config.personKeys(), store.read(d -> List.copyOf(d.enrolled)), entry);
    if (conflict.isPresent()) {
      audit.record(grant.person().hrSubjectId(), "console.enrollment.refused", AuditOutcome.REFUSED, Severity.HIGH,
          conflict.get(), Map.of("personId", grant.person().personId()), clock.instant());
      json(ex, 409, error("this passkey cannot be registered: " + conflict.get()));
      return;
    }
    boolean fresh = store.update(d -> {
      if (!d.usedLinks.add(grant.linkId())) {
        return false;
      }
      d.enrolled.add(entry);
      return true;
    });
    if (!fresh) {
      json(ex, 410, error("this enrollment link was already used"));
      return;
    }
    audit.record(grant.person().hrSubjectId(), "console.passkey.enrolled", AuditOutcome.RECORDED, Severity.MEDIUM,
        grant.person().personId() + " enrolled a passkey for " + grant.roles(), Map.of("personId", grant.person().personId(),
            "credentialId", credential.credentialId(), "linkId", grant.linkId()), clock.instant());
    json(ex, 200, JSON.createObjectNode().put("entry", entry));
  }

  private void decideOptions(HttpExchange ex, Sessions.Session s, JsonNode body) throws IOException {
    Person person = s.person;
    String subjectId = text(body, "subjectId");
    String requestId = text(body, "requestId");
    Decision decision;
    try {
      decision = Decision.valueOf(String.valueOf(text(body, "decision")));
    } catch (IllegalArgumentException e) {
      json(ex, 400, error("the decision is APPROVE or DENY"));
      return;
    }
    Optional<ApprovalRequested> found = subjectId == null || requestId == null ? Optional.empty()
        : board.find(subjectId, requestId);
    Optional<String> refusal = found.isEmpty() ? Optional.of("no such recovery request is waiting")
        : notOffered(person, found.get());
    if (refusal.isEmpty() && found.get().getNonce() == null) {
      refusal = Optional.of("this request takes no signed decision (no case nonce)");
    }
    if (refusal.isPresent()) {
      refuseDecision(s, subjectId == null ? person.hrSubjectId() : subjectId, requestId, decision.name(), refusal.get());
      json(ex, 403, error(refusal.get()));
      return;
    }
    ApprovalRequested r = found.get();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    ApprovalDecision draft = ApprovalDecision.newBuilder().setEventId("console-" + Sessions.random(16)).setEventTime(now)
        .setRequestId(requestId).setSubjectId(subjectId).setApproverId(person.personId()).setDecision(decision)
        .setDecidedAt(now).build();
    String challenge = ApprovalStatement.of(draft, r.getNonce(), person.personId()).challenge();
    Sessions.Ceremony c = sessions.start(null, s.id, draft, r.getNonce(), null);
    ObjectNode out = JSON.createObjectNode().put("ceremony", c.id()).put("rpId", passkeys.relyingParty().rpId())
        .put("challenge", challenge);
    registry().keys().stream().filter(k -> k.person().equals(person) && k.scheme() == SignatureScheme.WEBAUTHN
        && k.may(Role.APPROVER)).map(RegisteredKey::keyId).forEach(out.putArray("allow")::add);
    json(ex, 200, out);
  }

  private void decideFinish(HttpExchange ex, Sessions.Session s, JsonNode body) throws IOException {
    Optional<Sessions.Ceremony> found = sessions.take(text(body, "ceremony"));
    if (found.isEmpty() || found.get().decision() == null || !s.id.equals(found.get().sessionId())) {
      refuseDecision(s, s.person.hrSubjectId(), null, "", "no decision of this session awaits this assertion");
      json(ex, 400, error("no decision of yours awaits this assertion; start again"));
      return;
    }
    ApprovalDecision decision = found.get().decision();
    String nonce = found.get().nonce();
    SignatureEnvelope envelope;
    try {
      envelope = envelope(body);
    } catch (IllegalArgumentException e) {
      refuseDecision(s, decision.getSubjectId(), decision.getRequestId(), decision.getDecision().name(), e.getMessage());
      json(ex, 400, error(e.getMessage()));
      return;
    }
    SignatureCheck.Result checked = SignatureCheck.of(registry(), passkeys.relyingParty()).check(envelope, Role.APPROVER,
        p -> ApprovalStatement.of(decision, nonce, p.personId()).canonicalBytes(),
        keyId -> store.read(d -> d.signCounters.getOrDefault(keyId, 0L)));
    String why = null;
    if (checked.person().isPresent() && !checked.person().get().equals(s.person)) {
      why = "the assertion comes from a passkey of " + checked.person().get().personId() + ", not of the signed-in "
          + s.person.personId();
    } else if (!checked.valid()) {
      why = "the assertion does not sign this decision: " + checked.reason();
    }
    if (why != null) {
      refuseDecision(s, decision.getSubjectId(), decision.getRequestId(), decision.getDecision().name(), why);
      json(ex, 403, error(why));
      return;
    }
    checked.signCount().ifPresent(n -> store.update(d -> d.signCounters.merge(envelope.getKeyId(), n, Math::max)));
    decision.setSignatureEnvelope(envelope);
    try {
      producer.send(new ProducerRecord<>(Topics.APPROVAL_DECISIONS.name(), decision.getSubjectId(),
          Topics.APPROVAL_DECISIONS.valueSerde().serializer().serialize(Topics.APPROVAL_DECISIONS.name(), decision))).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      json(ex, 503, error("interrupted; the decision may not have been sent"));
      return;
    } catch (java.util.concurrent.ExecutionException e) {
      json(ex, 503, error("the decision could not be sent: " + e.getCause().getMessage()));
      return;
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("requestId", decision.getRequestId());
    details.put("approverId", s.person.personId());
    details.put("approverSubjectId", s.person.hrSubjectId());
    details.put("decision", decision.getDecision().name());
    details.put("decisionEventId", decision.getEventId());
    details.put("credentialId", envelope.getKeyId());
    audit.record(decision.getSubjectId(), "console.decision.sent", AuditOutcome.REQUESTED, Severity.INFO,
        s.person.personId() + " signed " + decision.getDecision() + " with a passkey", details, clock.instant());
    json(ex, 200, JSON.createObjectNode().put("message", decision.getDecision() + " signed and sent to the recovery worker; "
        + "it counts once the worker has checked it.").put("eventId", decision.getEventId()));
  }

  private void refuseDecision(Sessions.Session s, String subjectId, String requestId, String decision, String why) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("approverId", s.person.personId());
    details.put("approverSubjectId", s.person.hrSubjectId());
    details.put("requestId", String.valueOf(requestId));
    details.put("decision", decision);
    audit.record(subjectId, "console.decision.refused", AuditOutcome.REFUSED, Severity.HIGH, why, details, clock.instant());
  }

  /** Why {@code person} may not decide {@code r}, as the recovery worker would refuse it; empty if they may. */
  Optional<String> notOffered(Person person, ApprovalRequested r) {
    if (r.getStatus() != ApprovalStatus.OPEN) {
      return Optional.of("not waiting (" + r.getStatus() + ")");
    }
    if (person.hrSubjectId().equals(r.getSubjectId())) {
      return Optional.of("not offered: you are the subject");
    }
    if (person.personId().equals(r.getRequesterId()) || person.hrSubjectId().equals(r.getRequesterSubjectId())) {
      return Optional.of("not offered: you made this request");
    }
    if (r.getIneligibleApprovers().contains(person.hrSubjectId())) {
      return Optional.of("not offered: you are on the subject's approver list");
    }
    if (r.getApprovedBy().contains(person.personId())) {
      return Optional.of("you already approved");
    }
    if (registry().keys().stream().noneMatch(k -> k.person().equals(person) && k.may(Role.APPROVER))) {
      return Optional.of("not offered: you hold no approver passkey");
    }
    return Optional.empty();
  }

  private boolean linkUsed(EnrollLinks.Grant grant) {
    return store.read(d -> d.usedLinks.contains(grant.linkId()));
  }

  private void keepCounter(String keyId, SignatureVerifier.Result verified) {
    verified.signCount().ifPresent(n -> store.update(d -> d.signCounters.merge(keyId, n, Math::max)));
  }

  static SignatureEnvelope envelope(JsonNode body) {
    return Passkeys.envelope(text(body, "id"), text(body, "authenticatorData"), text(body, "clientDataJSON"),
        text(body, "signature"));
  }

  private static String challengeOf(byte[] secret) {
    return io.authlifecycle.core.approvals.WebAuthnKeys.base64url(
        io.authlifecycle.core.approvals.CanonicalBytes.sha256(secret));
  }

  private boolean originAllowed(HttpExchange ex) {
    String origin = ex.getRequestHeaders().getFirst("Origin");
    return origin != null && passkeys.relyingParty().origins().contains(origin);
  }

  private Optional<Sessions.Session> session(HttpExchange ex) {
    List<String> cookies = ex.getRequestHeaders().getOrDefault("Cookie", List.of());
    for (String header : cookies) {
      for (String part : header.split(";")) {
        String[] kv = part.strip().split("=", 2);
        if (kv.length == 2 && kv[0].equals(COOKIE)) {
          return sessions.find(kv[1]);
        }
      }
    }
    return Optional.empty();
  }

  static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node == null || !node.isTextual() ? null : node.asText();
  }

  static ObjectMapper json() {
    return JSON;
  }

  static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static Map<String, String> query(HttpExchange ex) {
    Map<String, String> out = new LinkedHashMap<>();
    String q = ex.getRequestURI().getRawQuery();
    if (q != null) {
      for (String pair : q.split("&")) {
        String[] kv = pair.split("=", 2);
        out.put(decode(kv[0]), kv.length == 2 ? decode(kv[1]) : "");
      }
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static void headers(HttpExchange ex) {
    var h = ex.getResponseHeaders();
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Frame-Options", "DENY");
    h.set("Cache-Control", "no-store");
  }

  private void resource(HttpExchange ex, String name, String type) throws IOException {
    try (InputStream in = ConsoleServer.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        send(ex, 404, "text/plain", "not found");
        return;
      }
      send(ex, 200, type, in.readAllBytes());
    }
  }

  private static void redirect(HttpExchange ex, String to) throws IOException {
    ex.getResponseHeaders().set("Location", to);
    ex.sendResponseHeaders(303, -1);
  }

  private static void html(HttpExchange ex, int status, String page) throws IOException {
    send(ex, status, "text/html; charset=utf-8", page);
  }

  static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
    send(ex, status, "application/json", JSON.writeValueAsBytes(body));
  }

  private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    http.stop(0);
    ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
  }
}
