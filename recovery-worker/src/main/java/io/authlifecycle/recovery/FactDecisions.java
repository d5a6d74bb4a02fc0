package io.authlifecycle.recovery;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorResumed;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.state.RecoveryFactor;
import io.authlifecycle.avro.state.RecoverySubject;
import io.authlifecycle.core.binding.BindingOwner;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.recovery.RecoverySubjects.Standing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The IdP's authenticator facts on a subject: bound, suspended, resumed and revoked factors are
 * kept (the account's level and the "bound authenticator" evidence come from them), and a binding
 * under a RECOVERY ticket is decided here, its one decider ({@link TicketDecisions}), unless the
 * subject has left (then the leaver worker decides).
 */
final class FactDecisions {

  private FactDecisions() {}

  /** One fact on {@code s} (a working copy). */
  static Decision<RecoverySubject> onFact(RecoveryRules rules, RecoverySubject s, Object fact, Instant now) {
    apply(s, fact);
    if (fact instanceof AuthenticatorBound bound && BindingOwner.of(bound) == BindingOwner.RECOVERY
        && RecoverySubjects.standing(s, now) != Standing.TERMINATED) {
      return TicketDecisions.onBound(rules, s, bound, now);
    }
    return Decision.none();
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
}
