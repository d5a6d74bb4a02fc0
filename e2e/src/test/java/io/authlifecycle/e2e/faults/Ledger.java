package io.authlifecycle.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.CommandAction;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.DeviceEventType;
import io.authlifecycle.core.audit.AuditChainVerifier;
import io.authlifecycle.core.audit.AuditTopicVerifier;
import io.authlifecycle.core.topics.TopicScan;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.e2e.bench.Mix.EventKind;
import io.authlifecycle.e2e.bench.Population;
import io.authlifecycle.e2e.bench.WorkerInputs;
import io.authlifecycle.schemas.SchemaCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the workers committed (read-committed, from the beginning), checked against what
 * was sent: each leaver revoked exactly once, each verified joiner given exactly one ticket, every
 * decisive input audited, no command and no decision visible twice, every audit chain intact.
 */
final class Ledger {

  static final String LEAVER = "leaver-worker";
  static final String JOINER = "joiner-worker";

  final List<AuthenticatorCommand> commands = new ArrayList<>();
  final List<AuditEvent> audits = new ArrayList<>();
  final AuditChainVerifier.Report chains;

  private Ledger(String bootstrap) {
    Map<String, Object> props = Map.of("bootstrap.servers", bootstrap);
    for (TopicSpec<AuthenticatorCommand> topic : Topics.COMMANDS_ALL) {
      TopicScan.readToEnd(props, topic.name(), r -> {
        try {
          commands.add(topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
        } catch (RuntimeException e) {
          // not a worker's command (the poison test writes garbage here)
        }
      });
    }
    TopicScan.readToEnd(props, Topics.AUDIT.name(), r -> {
      try {
        audits.add(Topics.AUDIT.valueSerde().deserializer().deserialize(r.topic(), r.value()));
      } catch (RuntimeException e) {
        // not a worker's record (the poison test writes garbage here); the chain check reports it if it matters
      }
    });
    chains = new AuditTopicVerifier(SchemaCatalog.get()).verify(props, Topics.AUDIT.name(), Optional.empty());
  }

  static Ledger read(String bootstrap) {
    return new Ledger(bootstrap);
  }

  /** The outcome of the checks, with the counts a report quotes. */
  record Verdict(int sent, Map<EventKind, Integer> sentByKind, int workers, int leavers, int leaversRevokedOnce, int joiners,
      int joinersTicketedOnce, int decisive, int decisiveAudited, int duplicateCommands, int duplicateDecisions,
      int lost, int auditRecords, int chains, List<String> breaks, List<String> problems) {

    String summary(String label) {
      return String.format("[%s] sent %,d %s; processed: every one of the %d workers committed past the last; leavers %,d, "
              + "REVOKE_ALL exactly once %,d; verified joiners %,d, one ticket each %,d; "
              + "decisive inputs %,d, audited %,d; duplicate commands %d; duplicate decisions %d; lost %d; "
              + "audit chains: %,d records in %,d chains, %d breaks",
          label, sent, sentByKind, workers, leavers, leaversRevokedOnce, joiners, joinersTicketedOnce, decisive, decisiveAudited,
          duplicateCommands, duplicateDecisions, lost, auditRecords, chains, breaks.size());
    }

    /** Prints the counts under {@code label}, then holds the run to exactly once: nothing lost, nothing twice, chains whole. */
    void assertExactlyOnce(String label) {
      System.out.println(summary(label));
      assertThat(problems).isEmpty();
      assertThat(leaversRevokedOnce).isEqualTo(leavers).isPositive();
      assertThat(joinersTicketedOnce).isEqualTo(joiners).isPositive();
      assertThat(decisiveAudited).isEqualTo(decisive);
      assertThat(duplicateCommands).isZero();
      assertThat(duplicateDecisions).isZero();
      assertThat(lost).isZero();
      assertThat(breaks).isEmpty();
    }
  }

  /** Checks the ledger against the sent events; {@code consumed} says which topics some worker reads. */
  Verdict check(FaultRig.Sent sent, WorkerInputs inputs) {
    List<String> problems = new ArrayList<>();
    Map<String, List<AuthenticatorCommand>> commandsByCause = new HashMap<>();
    commands.forEach(c -> commandsByCause.computeIfAbsent(c.getCausationId(), k -> new ArrayList<>()).add(c));
    Map<String, Integer> auditsByCause = new HashMap<>();
    audits.forEach(a -> {
      if (a.getCausationId() != null) {
        auditsByCause.merge(a.getCausationId(), 1, Integer::sum);
      }
    });

    List<Population.Event> leavers = sent.of(EventKind.LEAVER);
    int revokedOnce = 0;
    boolean leaverPresent = inputs.workers().contains(LEAVER);
    for (Population.Event e : leavers) {
      List<AuthenticatorCommand> caused = commandsByCause.getOrDefault(e.eventId(), List.of());
      long revokeAll = caused.stream().filter(c -> c.getAction() == CommandAction.REVOKE_ALL && LEAVER.equals(c.getIssuedBy())).count();
      long sessions = caused.stream().filter(c -> c.getAction() == CommandAction.TERMINATE_SESSIONS && LEAVER.equals(c.getIssuedBy())).count();
      if (revokeAll == 1 && sessions == 1) {
        revokedOnce++;
      } else if (leaverPresent) {
        problems.add("leaver " + e.eventId() + " of " + e.subjectId() + ": " + revokeAll + " REVOKE_ALL, " + sessions
            + " TERMINATE_SESSIONS committed");
      }
    }

    List<Population.Event> joiners = sent.of(EventKind.JOINER);
    int ticketedOnce = 0;
    boolean joinerPresent = inputs.workers().contains(JOINER);
    for (Population.Event e : joiners) {
      long tickets = commandsByCause.getOrDefault(e.eventId(), List.of()).stream()
          .filter(c -> c.getAction() == CommandAction.ISSUE_ENROLLMENT_TICKET && JOINER.equals(c.getIssuedBy())).count();
      if (tickets == 1) {
        ticketedOnce++;
      } else if (joinerPresent) {
        problems.add("joiner " + e.eventId() + ": " + tickets + " ISSUE_ENROLLMENT_TICKET committed");
      }
    }

    // Every input other than factor use leads to at least one audited decision by some worker reading its
    // topic; a COMPLIANT for a device never marked non-compliant rightly changes nothing.
    int decisive = 0;
    int audited = 0;
    for (Population.Event e : sent.events) {
      if (e.kind() == EventKind.USED || inputs.consumersOf(e.topic().name()).isEmpty()
          || e.value() instanceof DeviceEvent d && d.getType() == DeviceEventType.COMPLIANT) {
        continue;
      }
      decisive++;
      if (auditsByCause.getOrDefault(e.eventId(), 0) > 0) {
        audited++;
      } else if (problems.size() < 50) {
        problems.add(e.kind() + " " + e.eventId() + " has no audited decision");
      }
    }

    Set<String> commandIds = new HashSet<>();
    int duplicateCommands = 0;
    for (AuthenticatorCommand c : commands) {
      if (!commandIds.add(c.getCommandId())) {
        duplicateCommands++;
        if (problems.size() < 50) {
          problems.add("command " + c.getCommandId() + " (" + c.getAction() + " for " + c.getSubjectId() + ") visible twice");
        }
      }
    }
    // A decision taken twice shows as two audit records alike in everything but their place in the chain.
    Set<String> decisions = new HashSet<>();
    Set<String> auditIds = new HashSet<>();
    int duplicateDecisions = 0;
    for (AuditEvent a : audits) {
      String key = a.getWorker() + "|" + a.getSubjectId() + "|" + a.getCausationId() + "|" + a.getAction() + "|"
          + a.getAuthenticatorId() + "|" + a.getCommandIds() + "|" + a.getReason();
      if (!decisions.add(key) || !auditIds.add(a.getEventId())) {
        duplicateDecisions++;
        if (problems.size() < 50) {
          problems.add("decision visible twice: " + a.getWorker() + " " + a.getAction() + " for " + a.getSubjectId()
              + " caused by " + a.getCausationId());
        }
      }
    }
    int lost = (leaverPresent ? leavers.size() - revokedOnce : 0) + (joinerPresent ? joiners.size() - ticketedOnce : 0)
        + (decisive - audited);
    List<String> breaks = chains.breaks().stream().map(Object::toString).toList();
    return new Verdict(sent.events.size(), sent.byKind, inputs.workers().size(), leavers.size(), revokedOnce, joiners.size(), ticketedOnce,
        decisive, audited, duplicateCommands, duplicateDecisions, lost, chains.records(), chains.chains(), breaks, problems);
  }
}
