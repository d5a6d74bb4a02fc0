package io.authlifecycle.schemas;

import io.authlifecycle.avro.ApprovalDecision;
import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.AuditCheckpoint;
import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.AuthenticatorResumed;
import io.authlifecycle.avro.AuthenticatorRevoked;
import io.authlifecycle.avro.AuthenticatorSuspended;
import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.CommandApplied;
import io.authlifecycle.avro.CommandFailed;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.SubjectNotification;
import io.authlifecycle.avro.WorkerEvent;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** The record types that cross the bus. */
public final class Contracts {

  private Contracts() {}

  /** What the IdP side reports on authn.authenticator-events.v1. */
  public static final List<Class<? extends SpecificRecord>> AUTHENTICATOR_FACTS = List.of(
      AuthenticatorBound.class, AuthenticatorUsed.class, AuthenticatorRevoked.class,
      AuthenticatorSuspended.class, AuthenticatorResumed.class,
      CommandApplied.class, CommandFailed.class);

  /** Every record type on a topic. */
  public static final List<Class<? extends SpecificRecord>> ALL = List.of(
      WorkerEvent.class, DeviceEvent.class,
      AuthenticatorBound.class, AuthenticatorUsed.class, AuthenticatorRevoked.class,
      AuthenticatorSuspended.class, AuthenticatorResumed.class,
      CommandApplied.class, CommandFailed.class,
      AuthenticatorCommand.class, RecoveryRequest.class, ApprovalRequested.class,
      ApprovalDecision.class, SubjectNotification.class, AuditEvent.class, DeadLetter.class,
      AuditCheckpoint.class);
}
