package io.authlifecycle.gateway;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.state.GatewaySubject;
import io.authlifecycle.avro.state.GatewayTicket;
import io.authlifecycle.avro.state.GatewayTicketStatus;
import io.authlifecycle.core.streams.InputValidator;
import io.authlifecycle.core.streams.WorkerMetrics;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.Outcomes.Source;
import io.authlifecycle.gateway.idp.Applied;
import io.authlifecycle.gateway.resilience.ResilientIdp;
import io.authlifecycle.gateway.state.GatewayState;
import io.authlifecycle.gateway.tickets.Tickets;
import io.authlifecycle.schemas.RegistryUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decides what one record of {@code authn.commands.v1} becomes: dead letter (undecodable or
 * invalid), nothing (a command already applied), the outcome of applying it, or a wait while the
 * IdP is down. Knows no Kafka client; the loop turns a decision into one transaction.
 */
final class CommandHandler {

  /** What to do with one record. */
  sealed interface Decision permits Emit, Wait {}

  /** Records to produce and audit records to append (state changes are in the state), then commit the record's offset. */
  record Emit(String outcome, List<Out> records, List<AuditEvent> audits) implements Decision {}

  /** Leave the record uncommitted and stop taking commands until the IdP answers again. */
  record Wait(String reason) implements Decision {}

  /** One record for a registry topic. */
  record Out(TopicSpec<?> topic, String key, SpecificRecord value) {}

  private static final TopicSpec<AuthenticatorCommand> IN = Topics.COMMANDS;

  private final ResilientIdp idp;
  private final Provenance provenance;
  private final WorkerMetrics metrics;
  private final InputValidator validator;
  private final Duration maxWait;
  private final Clock clock;
  private final Map<String, Instant> waitingSince = new HashMap<>();

  CommandHandler(ResilientIdp idp, Provenance provenance, WorkerMetrics metrics, InputValidator validator, Duration maxWait,
      Clock clock) {
    this.idp = idp;
    this.provenance = provenance;
    this.metrics = metrics;
    this.validator = validator;
    this.maxWait = maxWait;
    this.clock = clock;
  }

  Decision handle(Source from, GatewayState state) {
    Instant now = clock.instant();
    AuthenticatorCommand command;
    try {
      if (from.value() == null) {
        throw new IllegalArgumentException("null value (tombstone) where a command was expected");
      }
      command = IN.valueSerde().deserializer().deserialize(IN.name(), from.value());
    } catch (RegistryUnavailableException e) {
      // The command may be fine: read it again on a later poll, never dead-letter it.
      return new Wait("the schema registry is unavailable: " + e.getMessage());
    } catch (RuntimeException e) {
      return deadLetter(from, state, DeadLetterKind.UNDECODABLE, describe(e), now);
    }
    List<String> problems = new ArrayList<>(validator.problems(IN, from.key(), command, now));
    if (problems.isEmpty()) {
      problems.addAll(CommandRules.problems(command));
    }
    if (!problems.isEmpty()) {
      return deadLetter(from, state, DeadLetterKind.INVALID, String.join("; ", problems), now);
    }
    List<String> refused = provenance.problems(from.topic(), command, state.subject(command.getSubjectId()));
    if (!refused.isEmpty()) {
      return refuse(from, command, String.join("; ", refused), state, now);
    }
    String issuer = Provenance.issuerOf(from.topic(), command).orElseThrow();
    if (state.applied(command.getCommandId(), idp.client().dryRun())) {
      metrics.decision("duplicate");
      return new Emit("duplicate", List.of(), List.of());
    }
    if (!idp.client().dryRun() && command.getAction() == CommandAction.ISSUE_ENROLLMENT_TICKET) {
      return issueTicket(from, command, state, now);
    }
    if (!idp.client().dryRun() && command.getAction() == CommandAction.INVALIDATE_TICKET) {
      return invalidateTicket(from, command, issuer, state, now);
    }
    ResilientIdp.Attempt attempt = idp.apply(command);
    if (attempt instanceof ResilientIdp.Done done && command.getAction() == CommandAction.REVOKE_ALL && !idp.client().dryRun()) {
      // The lock-out cleared every required action: no ticket of the subject is open any more.
      GatewaySubject s = state.subject(command.getSubjectId());
      Tickets.live(s).forEach(t -> Tickets.finish(t, GatewayTicketStatus.CLOSED, now));
      state.put(s);
    }
    return outcome(from, command, attempt, state, now);
  }

  private Decision outcome(Source from, AuthenticatorCommand command, ResilientIdp.Attempt attempt, GatewayState state,
      Instant now) {
    if (attempt instanceof ResilientIdp.Done done) {
      return applied(command, done, state, now);
    }
    if (attempt instanceof ResilientIdp.Failed failed) {
      return failed(from, command, failed.error().getMessage(),
          failed.exhausted() ? DeadLetterKind.RETRIES_EXHAUSTED : DeadLetterKind.PERMANENT_FAILURE,
          failed.attempts(), state, now);
    }
    return waitOrGiveUp(from, command, (ResilientIdp.Wait) attempt, state, now);
  }

  /** Holds the ticket from its notBefore to its expiry: opened now, or scheduled for the gateway's timers. */
  private Decision issueTicket(Source from, AuthenticatorCommand command, GatewayState state, Instant now) {
    EnrollmentTicket ticket = command.getTicket();
    GatewaySubject s = state.subject(command.getSubjectId());
    Optional<GatewayTicket> held = Tickets.find(s, ticket.getTicketId());
    if (held.isPresent()) {
      return applied(command, new ResilientIdp.Done(Applied.nothingRemoved("ticket " + ticket.getTicketId()
          + " already held (" + held.get().getStatus() + ")"), 0), state, now);
    }
    Optional<String> action = idp.client().enrollmentAction(ticket.getAllowedFactorTypes());
    if (action.isEmpty()) {
      return failed(from, command, idp.client().name() + " has no required action to enroll any of "
          + ticket.getAllowedFactorTypes(), DeadLetterKind.PERMANENT_FAILURE, 0, state, now);
    }
    if (!ticket.getExpiresAt().isAfter(now)) {
      return failed(from, command, "ticket " + ticket.getTicketId() + " expired at " + ticket.getExpiresAt()
          + " before it could be opened", DeadLetterKind.PERMANENT_FAILURE, 0, state, now);
    }
    GatewayTicket t = Tickets.issue(command, action.get(), now);
    String window = " until " + ticket.getExpiresAt() + ", single use";
    if (t.getStatus() == GatewayTicketStatus.SCHEDULED) {
      s.getTickets().add(t);
      state.put(s);
      return applied(command, new ResilientIdp.Done(Applied.nothingRemoved("ticket " + t.getTicketId() + " ("
          + t.getPurpose() + ") scheduled: required action " + action.get() + " from " + ticket.getNotBefore() + window), 0),
          state, now);
    }
    ResilientIdp.Attempt attempt = idp.attempt(() -> idp.client().openEnrollment(command.getSubjectId(), action.get(),
        ticket.getPurpose() == TicketPurpose.ONBOARDING));
    if (attempt instanceof ResilientIdp.Done done) {
      s.getTickets().add(t);
      state.put(s);
      attempt = new ResilientIdp.Done(Applied.nothingRemoved("ticket " + t.getTicketId() + " (" + t.getPurpose() + ") open: "
          + done.applied().detail() + window), done.attempts());
    }
    return outcome(from, command, attempt, state, now);
  }

  /** Closes exactly the named ticket (every live one if none is named); its required action goes unless another open ticket needs it. */
  private Decision invalidateTicket(Source from, AuthenticatorCommand command, String issuer, GatewayState state, Instant now) {
    GatewaySubject s = state.subject(command.getSubjectId());
    String ticketId = command.getTicket() == null ? null : command.getTicket().getTicketId();
    // Naming no ticket closes the issuer's own live tickets, never another worker's.
    List<GatewayTicket> targets = Tickets.live(s).stream().filter(t -> ticketId == null
        ? t.getIssuedBy().equals(issuer) : t.getTicketId().equals(ticketId)).toList();
    if (targets.isEmpty()) {
      String status = ticketId == null ? "none" : Tickets.find(s, ticketId).map(t -> t.getStatus().name()).orElse("unknown");
      return applied(command, new ResilientIdp.Done(Applied.nothingRemoved("no open ticket " + (ticketId == null ? "" : ticketId + " ")
          + "to close (" + status + ")"), 0), state, now);
    }
    Set<String> remove = new TreeSet<>();
    targets.stream().filter(t -> t.getStatus() == GatewayTicketStatus.OPEN).forEach(t -> remove.add(t.getRequiredAction()));
    Tickets.live(s).stream().filter(o -> !targets.contains(o) && o.getStatus() == GatewayTicketStatus.OPEN)
        .forEach(o -> remove.remove(o.getRequiredAction()));
    ResilientIdp.Attempt attempt = remove.isEmpty() ? new ResilientIdp.Done(Applied.nothingRemoved("no required action to remove"), 0)
        : idp.attempt(() -> idp.client().closeEnrollment(command.getSubjectId(), remove));
    if (attempt instanceof ResilientIdp.Done done) {
      targets.forEach(t -> Tickets.finish(t, GatewayTicketStatus.CLOSED, now));
      state.put(s);
      attempt = new ResilientIdp.Done(Applied.nothingRemoved("closed ticket(s) " + targets.stream()
          .map(GatewayTicket::getTicketId).toList() + ": " + done.applied().detail()), done.attempts());
    }
    return outcome(from, command, attempt, state, now);
  }

  private Decision applied(AuthenticatorCommand command, ResilientIdp.Done done, GatewayState state, Instant now) {
    waitingSince.remove(command.getCommandId());
    boolean dryRun = idp.client().dryRun();
    String source = idp.client().name();
    List<Out> records = Outcomes.appliedFacts(command, done.applied(), dryRun, source, now).stream()
        .map(fact -> new Out(Topics.AUTHENTICATOR_EVENTS, command.getSubjectId(), fact)).toList();
    AuditEvent audit = state.chain(Outcomes.appliedAudit(command, done.applied(), dryRun, done.attempts(), source), now);
    String outcome = dryRun ? "dry-run" : "applied";
    metrics.decision(outcome);
    metrics.audit(audit.getAction(), audit.getSeverity().name());
    metrics.latency("command." + outcome, Duration.between(command.getCausationTime(), now));
    state.markApplied(command.getCommandId(), command.getSubjectId(), dryRun, now);
    return new Emit(outcome, records, List.of(audit));
  }

  private Decision failed(Source from, AuthenticatorCommand command, String error, DeadLetterKind kind, int attempts,
      GatewayState state, Instant now) {
    waitingSince.remove(command.getCommandId());
    String source = idp.client().name();
    boolean permanent = kind == DeadLetterKind.PERMANENT_FAILURE;
    List<Out> records = List.of(
        new Out(Topics.AUTHENTICATOR_EVENTS, command.getSubjectId(),
            Outcomes.failedFact(command, from, error, permanent, attempts, source, now)),
        new Out(IN.deadLetterTopic(), command.getSubjectId(), Outcomes.deadLetter(from, kind, error, now)));
    AuditEvent audit = state.chain(Outcomes.failedAudit(command, error, kind, attempts, source), now);
    metrics.decision("failed");
    metrics.deadLetter(IN.name(), kind.name());
    metrics.audit(audit.getAction(), audit.getSeverity().name());
    return new Emit("failed", records, List.of(audit));
  }

  private Decision waitOrGiveUp(Source from, AuthenticatorCommand command, ResilientIdp.Wait wait, GatewayState state,
      Instant now) {
    Instant since = waitingSince.computeIfAbsent(command.getCommandId(), id -> now);
    if (Duration.between(since, now).compareTo(maxWait) > 0) {
      return failed(from, command, "the IdP stayed unavailable for more than " + maxWait + ": " + wait.reason(),
          DeadLetterKind.RETRIES_EXHAUSTED, wait.attempts(), state, now);
    }
    metrics.decision("waiting");
    return new Wait(wait.reason());
  }

  /** A command its issuer may not send (or not so): refused, dead-lettered and audited CRITICAL; the IdP is not called. */
  private Decision refuse(Source from, AuthenticatorCommand command, String why, GatewayState state, Instant now) {
    String error = "refused: " + why;
    AuditEvent audit = state.chain(Outcomes.refusedAudit(command, from, error, IN.deadLetterTopic().name()), now);
    metrics.decision("refused");
    metrics.deadLetter(from.topic(), DeadLetterKind.INVALID.name());
    metrics.audit(audit.getAction(), audit.getSeverity().name());
    return new Emit("refused", List.of(new Out(IN.deadLetterTopic(), command.getSubjectId(),
        Outcomes.deadLetter(from, DeadLetterKind.INVALID, error, now))), List.of(audit));
  }

  private Decision deadLetter(Source from, GatewayState state, DeadLetterKind kind, String error, Instant now) {
    String subject = Outcomes.auditSubject(from);
    String key = from.key() == null ? "" : from.key();
    AuditEvent audit = state.chain(Outcomes.deadLetterAudit(from, subject, kind, error, IN.deadLetterTopic().name()), now);
    metrics.decision("dead-lettered");
    metrics.deadLetter(IN.name(), kind.name());
    metrics.audit(audit.getAction(), audit.getSeverity().name());
    return new Emit("dead-lettered", List.of(new Out(IN.deadLetterTopic(), key, Outcomes.deadLetter(from, kind, error, now))),
        List.of(audit));
  }

  private static String describe(RuntimeException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
