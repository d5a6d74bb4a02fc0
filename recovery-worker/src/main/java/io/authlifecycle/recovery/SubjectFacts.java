package io.authlifecycle.recovery;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorResumed;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.avro.state.RecoveryFactor;
import io.authlifecycle.avro.state.RecoverySubject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** Folds HR events and the IdP's authenticator facts into a subject's recovery state. */
public final class SubjectFacts {

  private SubjectFacts() {}

  /** What an HR event changed that decisions must act on. */
  public enum HrChange { NONE, PROFILE, LEAVER }

  /**
   * Applies one HR event. A leaver always applies, even out of order (fail towards revocation);
   * any other event older than the last one applied is ignored. A cancelled leaver only lifts a
   * termination still in the future; once effective, only a rehire or joiner does.
   */
  public static HrChange applyHr(SubjectState subject, WorkerEvent event, Instant now) {
    RecoverySubject s = subject.record();
    boolean stale = s.getHrEventTime() != null && event.getEventTime().isBefore(s.getHrEventTime());
    if (stale && event.getType() != WorkerEventType.LEAVER) {
      return HrChange.NONE;
    }
    s.setHrKnown(true);
    if (!stale) {
      s.setHrEventTime(event.getEventTime());
    }
    switch (event.getType()) {
      case JOINER, REHIRE -> {
        profile(s, event);
        s.setLeaverEffectiveAt(null);
        return HrChange.PROFILE;
      }
      case MOVER -> {
        profile(s, event);
        return HrChange.PROFILE;
      }
      case LEAVER -> {
        Instant effective = event.getImmediate() && now.isBefore(event.getEffectiveTime()) ? now : event.getEffectiveTime();
        if (s.getLeaverEffectiveAt() == null || effective.isBefore(s.getLeaverEffectiveAt())) {
          s.setLeaverEffectiveAt(effective);
        }
        return HrChange.LEAVER;
      }
      case LEAVER_CANCELLED -> {
        if (s.getLeaverEffectiveAt() != null && now.isBefore(s.getLeaverEffectiveAt())) {
          s.setLeaverEffectiveAt(null);
          return HrChange.PROFILE;
        }
        return HrChange.NONE;
      }
      default -> {
        return HrChange.NONE;
      }
    }
  }

  private static void profile(RecoverySubject s, WorkerEvent event) {
    if (event.getIdentityType() != IdentityType.UNKNOWN) {
      s.setIdentityType(event.getIdentityType());
    }
    s.setPrivileged(event.getPrivileged());
    if (event.getRole() != null) {
      s.setRole(event.getRole());
    }
    // An event that lists no channels or approvers leaves the known ones in place.
    if (!event.getChannels().isEmpty()) {
      s.setChannels(new ArrayList<>(event.getChannels()));
    }
    if (!event.getApprovers().isEmpty()) {
      s.setApprovers(new ArrayList<>(event.getApprovers()));
    }
  }

  /** Applies an authenticator fact; returns whether the factor list changed. */
  public static boolean applyFact(SubjectState subject, SpecificRecord fact) {
    RecoverySubject s = subject.record();
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
