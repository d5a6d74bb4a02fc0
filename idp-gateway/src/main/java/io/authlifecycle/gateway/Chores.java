package io.authlifecycle.gateway;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.TicketPurpose;
import io.authlifecycle.avro.state.GatewayReported;
import io.authlifecycle.avro.state.GatewaySubject;
import io.authlifecycle.avro.state.GatewayTicket;
import io.authlifecycle.avro.state.GatewayTicketStatus;
import io.authlifecycle.core.streams.WorkerMetrics;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.gateway.CommandHandler.Decision;
import io.authlifecycle.gateway.CommandHandler.Emit;
import io.authlifecycle.gateway.CommandHandler.Out;
import io.authlifecycle.gateway.CommandLoop.PartitionDecision;
import io.authlifecycle.gateway.idp.Binding;
import io.authlifecycle.gateway.resilience.ResilientIdp;
import io.authlifecycle.gateway.state.GatewayState;
import io.authlifecycle.gateway.tickets.Tickets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's work between polls on the partitions it owns: ticket timers (open at notBefore,
 * close at expiry, forget when done), bindings reported by the IdP (attributed to their ticket, which
 * they use up), and forgetting handled command ids past the de-duplication horizon. Each change of
 * a subject is one decision, committed like a command's outcome.
 */
final class Chores implements CommandLoop.Chores {

  private static final Logger LOG = LoggerFactory.getLogger(Chores.class);
  private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
  /** Keycloak's event times and credential creation times may straddle a poll: read a little back. */
  private static final Duration OVERLAP = Duration.ofSeconds(5);
  private static final int TIMERS_PER_ROUND = 100;

  /** How the chores are tuned: bindings polling (null interval: off), horizon, partitions of the command topics. */
  record Config(Duration bindingsInterval, Duration lookback, Duration horizon, int partitions) {}

  private final ResilientIdp idp;
  private final Tickets tickets;
  private final WorkerMetrics metrics;
  private final Config config;
  private Instant nextSweep = Instant.MIN;
  private Instant nextPoll = Instant.MIN;

  Chores(ResilientIdp idp, Tickets tickets, WorkerMetrics metrics, Config config) {
    this.idp = idp;
    this.tickets = tickets;
    this.metrics = metrics;
    this.config = config;
  }

  @Override
  public void run(Map<Integer, GatewayState> owned, Instant now, CommandLoop.Committer commit) {
    if (!idp.client().dryRun()) {
      for (Map.Entry<Integer, GatewayState> e : owned.entrySet()) {
        for (String subject : e.getValue().due(now, TIMERS_PER_ROUND)) {
          if (!commit.commit(new PartitionDecision(e.getKey(), timers(e.getValue(), subject, now)))) {
            return;
          }
        }
      }
      if (config.bindingsInterval() != null && !now.isBefore(nextPoll) && !owned.isEmpty()) {
        nextPoll = now.plus(config.bindingsInterval());
        if (!bindings(owned, now, commit)) {
          return;
        }
      }
    }
    sweep(owned, now, commit);
  }

  /** A subject's due tickets: opened at notBefore (a disabled onboarding subject re-enabled), closed at expiry, pruned. */
  private Decision timers(GatewayState state, String subjectId, Instant now) {
    GatewaySubject s = state.subject(subjectId);
    List<AuditEvent.Builder> audits = new ArrayList<>();
    for (GatewayTicket t : Tickets.toOpen(s, now)) {
      ResilientIdp.Attempt a = idp.attempt(() -> idp.client().openEnrollment(subjectId, t.getRequiredAction(),
          t.getPurpose() == TicketPurpose.ONBOARDING));
      if (a instanceof ResilientIdp.Wait w) {
        return new CommandHandler.Wait(w.reason());
      }
      if (a instanceof ResilientIdp.Done done) {
        t.setStatus(GatewayTicketStatus.OPEN);
        t.setOpenedAt(now);
        audits.add(Outcomes.ticketAudit(subjectId, t, "gateway.ticket.opened", AuditOutcome.COMPLETED, Severity.INFO,
            "ticket " + t.getTicketId() + " reached its notBefore: " + done.applied().detail()));
      } else {
        Tickets.finish(t, GatewayTicketStatus.CLOSED, now);
        audits.add(Outcomes.ticketAudit(subjectId, t, "gateway.ticket.failed", AuditOutcome.FAILED, Severity.HIGH,
            "ticket " + t.getTicketId() + " could not be opened: " + ((ResilientIdp.Failed) a).error().getMessage()));
      }
    }
    for (GatewayTicket t : Tickets.toExpire(s, now)) {
      boolean wasOpen = t.getStatus() == GatewayTicketStatus.OPEN;
      Set<String> needed = Tickets.stillNeeded(s, t);
      String detail = "nothing was open at the IdP";
      if (wasOpen && !needed.contains(t.getRequiredAction())) {
        ResilientIdp.Attempt a = idp.attempt(() -> idp.client().closeEnrollment(subjectId, List.of(t.getRequiredAction())));
        if (a instanceof ResilientIdp.Wait w) {
          return new CommandHandler.Wait(w.reason());
        }
        detail = a instanceof ResilientIdp.Done done ? done.applied().detail() : ((ResilientIdp.Failed) a).error().getMessage();
      } else if (wasOpen) {
        detail = "required action kept: another open ticket needs " + t.getRequiredAction();
      }
      Tickets.finish(t, GatewayTicketStatus.EXPIRED, now);
      audits.add(Outcomes.ticketAudit(subjectId, t, "gateway.ticket.expired", AuditOutcome.EXPIRED, Severity.INFO,
          "ticket " + t.getTicketId() + " unused at its expiry " + t.getExpiresAt() + ": " + detail));
    }
    tickets.prune(s, now);
    state.put(s);
    return emit("ticket timers", List.of(), audits, state, now);
  }

  /** Reads the IdP's new bindings once for every owned partition and reports those of each partition's subjects. */
  private boolean bindings(Map<Integer, GatewayState> owned, Instant now, CommandLoop.Committer commit) {
    Instant since = owned.values().stream().map(s -> s.bindingsSince().orElse(now.minus(config.lookback())))
        .min(Instant::compareTo).orElseThrow();
    List<Binding> found;
    try {
      found = idp.call(() -> idp.client().bindingsSince(since));
    } catch (RuntimeException e) {
      LOG.warn("polling {} for bindings failed, will try again: {}", idp.client().name(), e.getMessage());
      return true;
    }
    for (Map.Entry<Integer, GatewayState> e : owned.entrySet()) {
      GatewayState state = e.getValue();
      List<Out> facts = new ArrayList<>();
      List<AuditEvent.Builder> audits = new ArrayList<>();
      for (Binding b : found) {
        if (partition(b.subjectId()) != e.getKey()) {
          continue;
        }
        GatewaySubject s = state.subject(b.subjectId());
        if (Tickets.reported(s, b.authenticatorId())) {
          continue;
        }
        GatewayTicket t = Tickets.attribute(s, b).orElse(null);
        String ticketState = t == null ? null : t.getStatus().name();
        if (t != null && t.getStatus() == GatewayTicketStatus.OPEN) {
          // Single use: the first binding uses the ticket up, and its required action goes (Keycloak also drops a completed one).
          if (!Tickets.stillNeeded(s, t).contains(t.getRequiredAction())) {
            ResilientIdp.Attempt a = idp.attempt(() -> idp.client().closeEnrollment(b.subjectId(), List.of(t.getRequiredAction())));
            if (a instanceof ResilientIdp.Wait w) {
              return commit.commit(new PartitionDecision(e.getKey(), new CommandHandler.Wait(w.reason())));
            }
          }
          Tickets.finish(t, GatewayTicketStatus.USED, now);
          t.setUsedBy(b.authenticatorId());
          audits.add(Outcomes.ticketAudit(b.subjectId(), t, "gateway.ticket.used", AuditOutcome.COMPLETED, Severity.INFO,
              "ticket " + t.getTicketId() + " used by " + b.authenticatorId() + "; its required action is closed"));
        }
        s.getReported().add(new GatewayReported(b.authenticatorId(), b.boundAt(), t == null ? null : t.getTicketId()));
        tickets.prune(s, now);
        state.put(s);
        facts.add(new Out(Topics.AUTHENTICATOR_EVENTS, b.subjectId(),
            Outcomes.boundFact(b, t == null ? null : t.getTicketId(), idp.client().name())));
        audits.add(Outcomes.bindingAudit(b, t == null ? null : t.getTicketId(), ticketState, idp.client().name()));
      }
      state.bindingsReadUntil(now.minus(OVERLAP));
      if (!facts.isEmpty()) {
        LOG.info("partition {}: reported {} binding(s) made at {}", e.getKey(), facts.size(), idp.client().name());
      }
      if (!commit.commit(new PartitionDecision(e.getKey(), emit("bindings", facts, audits, state, now)))) {
        return false;
      }
    }
    return true;
  }

  private void sweep(Map<Integer, GatewayState> owned, Instant now, CommandLoop.Committer commit) {
    if (now.isBefore(nextSweep)) {
      return;
    }
    nextSweep = now.plus(SWEEP_EVERY);
    for (Map.Entry<Integer, GatewayState> e : owned.entrySet()) {
      int forgotten = e.getValue().forgetAppliedBefore(now.minus(config.horizon()));
      if (forgotten > 0 && !commit.commit(new PartitionDecision(e.getKey(),
          new Emit("forgot " + forgotten + " handled command id(s)", List.of(), List.of())))) {
        return;
      }
    }
  }

  private Emit emit(String what, List<Out> facts, List<AuditEvent.Builder> drafts, GatewayState state, Instant now) {
    List<AuditEvent> audits = drafts.stream().map(d -> state.chain(d, now)).toList();
    audits.forEach(a -> metrics.audit(a.getAction(), a.getSeverity().name()));
    return new Emit(what, facts, audits);
  }

  /** The partition the workers' producers put a subject's records on (the default partitioner). */
  private int partition(String subjectId) {
    return Utils.toPositive(Utils.murmur2(subjectId.getBytes(StandardCharsets.UTF_8))) % config.partitions();
  }
}
