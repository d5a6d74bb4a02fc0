package io.authlifecycle.recovery;

import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorResumed;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.avro.state.RecoveryCase;
import io.authlifecycle.avro.state.RecoveryFactor;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decision;
import java.util.ArrayList;
import java.util.List;

/**
 * The IdP's authenticator facts on a subject: bound, suspended, resumed and revoked factors are
 * kept (the account's level and the "bound authenticator" evidence come from them), and a binding
 * that used a RECOVERY ticket consumes it.
 */
final class FactDecisions {

  private FactDecisions() {}

  /** One fact on {@code s} (a working copy). */
  static Decision<RecoverySubject> onFact(RecoverySubject s, Object fact) {
    apply(s, fact);
    return fact instanceof AuthenticatorBound bound ? ticketUsed(s, bound) : Decision.none();
  }

  /** Folds an authenticator fact into the subject's factors; returns whether they changed. */
  static boolean apply(RecoverySubject s, Object fact) {
    List<RecoveryFactor> factors = new ArrayList<>(s.getFactors());
    boolean changed;
    if (fact instanceof AuthenticatorBound bound) {
      factors.removeIf(f -> f.getAuthenticatorId().equals(bound.getAuthenticatorId()));
      factors.add(new RecoveryFactor(bound.getAuthenticatorId(), bound.getFactorType(), false));
      changed = true;
    } else if (fact instanceof AuthenticatorRevoked revoked) {
      changed = factors.removeIf(f -> f.getAuthenticatorId().equals(revoked.getAuthenticatorId()));
    } else if (fact instanceof AuthenticatorSuspended suspended) {
      changed = setSuspended(factors, suspended.getAuthenticatorId(), true);
    } else if (fact instanceof AuthenticatorResumed resumed) {
      changed = setSuspended(factors, resumed.getAuthenticatorId(), false);
    } else {
      changed = false;
    }
    if (changed) {
      s.setFactors(factors);
    }
    return changed;
  }

  private static boolean setSuspended(List<RecoveryFactor> factors, String authenticatorId, boolean suspended) {
    for (int i = 0; i < factors.size(); i++) {
      RecoveryFactor f = factors.get(i);
      if (f.getAuthenticatorId().equals(authenticatorId)) {
        factors.set(i, new RecoveryFactor(f.getAuthenticatorId(), f.getFactorType(), suspended));
        return true;
      }
    }
    return false;
  }

  /** A binding that used a recovery ticket consumes it. */
  private static Decision<RecoverySubject> ticketUsed(RecoverySubject s, AuthenticatorBound bound) {
    Decision<RecoverySubject> out = Decision.none();
    if (bound.getTicketId() == null) {
      return out;
    }
    for (RecoveryCase c : s.getCases()) {
      if (bound.getTicketId().equals(c.getTicketId()) && !c.getTicketUsed()) {
        c.setTicketUsed(true);
        out.cancel(s.getSubjectId(), RecoveryRecords.TICKET_EXPIRY + c.getRequestId());
        out.audit(RecoveryRecords.audit(s.getSubjectId(), c.getRequestId(), "recovery.ticket.used", AuditOutcome.COMPLETED,
                Severity.INFO, PolicyRefs.BINDING_CODE, "RECOVERY ticket used to bind " + bound.getFactorType(),
                bound.getEventId(), RecoveryRecords.controls(PolicyRefs.CSF_PROOFED_AND_BOUND))
            .setAuthenticatorId(bound.getAuthenticatorId()).setFactorType(bound.getFactorType()));
      }
    }
    return out;
  }
}
