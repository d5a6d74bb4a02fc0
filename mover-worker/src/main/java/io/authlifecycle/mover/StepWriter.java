package io.authlifecycle.mover;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.EnrollmentTicket;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.core.streams.Decisions;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.mover.registry.Step;
import io.authlifecycle.mover.registry.Step.Audit;
import io.authlifecycle.mover.registry.Step.Command;
import io.authlifecycle.mover.registry.Step.Notice;
import io.authlifecycle.mover.registry.Step.Recovery;
import java.time.Instant;
import java.util.List;

/** Turns decided steps into records: commands, notifications, recovery requests and chained audit records. */
final class StepWriter {

  private final String worker;

  StepWriter(String worker) {
    this.worker = worker;
  }

  void write(String subjectId, List<Step> steps, Instant now, Decision<?> emit) {
    for (Step step : steps) {
      if (step instanceof Command c) {
        emit.command(Decisions.command(worker, c.action(), subjectId, c.cause().causationId(),
                c.cause().causationTime(), c.cause().correlationId(), c.discriminator(), c.reason(), c.policyRef(), now)
            .setCommandId(c.commandId())
            .setAuthenticatorId(c.authenticatorId())
            .setTicket(c.ticket() == null ? null : EnrollmentTicket.newBuilder()
                .setTicketId(c.ticket().ticketId()).setPurpose(c.ticket().purpose())
                .setAllowedFactorTypes(c.ticket().allowedTypes()).setNotBefore(c.ticket().notBefore())
                .setExpiresAt(c.ticket().expiresAt()).setSingleUse(true)
                .setDeliveryChannel(c.ticket().deliveryChannel()).build())
            .build());
      } else if (step instanceof Notice n) {
        emit.notify(Decisions.notification(worker, subjectId, n.recipient(), n.channels(), n.topic(), n.message(),
            n.cause().causationId(), n.cause().correlationId(), now).build());
      } else if (step instanceof Recovery r) {
        emit.send(Topics.RECOVERY_REQUESTS, subjectId, RecoveryRequest.newBuilder()
            .setEventId(r.requestId()).setEventTime(now).setRequestId(r.requestId())
            .setKind(RecoveryRequestKind.OPEN).setSubjectId(subjectId).setChannel(RecoveryChannel.SYSTEM)
            .setReason(RecoveryReason.DEVICE_LOST).setRequesterId(worker)
            .setLostAuthenticatorIds(r.lostAuthenticatorIds()).setCausationId(r.cause().causationId())
            .setComment(r.comment()).build());
      } else if (step instanceof Audit a) {
        emit.audit(audit(subjectId, a));
      }
    }
  }

  private static AuditEvent.Builder audit(String subjectId, Audit a) {
    return Decisions.audit(subjectId, a.action(), a.outcome(), a.severity(), a.policyRef(), a.controlRefs())
        .setReason(a.reason())
        .setCausationId(a.cause().causationId())
        .setCorrelationId(a.cause().correlationId())
        .setCommandIds(a.commandIds())
        .setAuthenticatorId(a.authenticatorId())
        .setFactorType(a.factorType())
        .setDetails(a.details());
  }
}
