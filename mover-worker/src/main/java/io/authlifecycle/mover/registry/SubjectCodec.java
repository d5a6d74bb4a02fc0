package io.authlifecycle.mover.registry;

import io.authlifecycle.avro.state.MoverDevice;
import io.authlifecycle.avro.state.MoverFactor;
import io.authlifecycle.avro.state.MoverFactorStatus;
import io.authlifecycle.avro.state.MoverProfile;
import io.authlifecycle.avro.state.MoverRebindCase;
import io.authlifecycle.avro.state.MoverRequest;
import io.authlifecycle.avro.state.MoverSubject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Maps a subject's registry view to its stored Avro state and back. */
public final class SubjectCodec {

  private SubjectCodec() {}

  public static MoverSubject encode(Subject s) {
    List<MoverFactor> factors = new ArrayList<>(s.factors.size());
    for (Factor f : s.factors.values()) {
      factors.add(MoverFactor.newBuilder().setAuthenticatorId(f.id).setFactorType(f.type).setDeviceId(f.deviceId)
          .setStatus(MoverFactorStatus.valueOf(f.status.name())).setSeenBound(f.seenBound)
          .setFirstSeenAt(f.firstSeenAt).setBoundAt(f.boundAt).setLastUsedAt(f.lastUsedAt)
          .setExpiresAt(f.expiresAt).setSuspendedAt(f.suspendedAt).setResumedAt(f.resumedAt)
          .setRevokedAt(f.revokedAt).setExpiredAt(f.expiredAt).setSuspendedForNoncompliance(f.suspendedForNoncompliance)
          .setRequested(MoverRequest.valueOf(f.requested.name())).setRequestedCommandId(f.requestedCommandId)
          .setRequestedAt(f.requestedAt).setExpiryRemindersSent(f.expiryRemindersSent)
          .setStaleReminderAt(f.staleReminderAt).build());
    }
    List<MoverDevice> devices = new ArrayList<>(s.devices.size());
    for (DeviceMark d : s.devices.values()) {
      devices.add(MoverDevice.newBuilder().setDeviceId(d.deviceId).setBlockedBy(d.blockedBy)
          .setBlockedEventId(d.blockedEventId).setBlockedAt(d.blockedAt).setRebindDecided(d.rebindDecided)
          .setClearedAt(d.clearedAt).setNoncompliantEventId(d.noncompliantEventId)
          .setNoncompliantAt(d.noncompliantAt).build());
    }
    Profile p = s.profile;
    RebindCase r = s.rebind;
    return MoverSubject.newBuilder()
        .setSubjectId(s.id)
        .setProfile(p == null ? null : MoverProfile.newBuilder().setRole(p.role()).setPrivileged(p.privileged())
            .setIdentityType(p.identityType()).setChannels(p.channels()).setManagerId(p.managerId())
            .setRequiredLevel(p.requiredLevel()).setPhishingResistant(p.phishingResistant())
            .setRestrictedAllowed(p.restrictedAllowed()).setEventId(p.eventId()).setEventTime(p.eventTime()).build())
        .setFactors(factors)
        .setDevices(devices)
        .setRebind(r == null ? null : MoverRebindCase.newBuilder().setCorrelationId(r.correlationId)
            .setCausationId(r.causationId).setCausationTime(r.causationTime).setTicketId(r.ticketId)
            .setGraceUntil(new LinkedHashMap<>(r.graceUntil)).build())
        .setRecentEventIds(new ArrayList<>(s.recentEventIds))
        .setScheduledDue(s.scheduledDue)
        .setTerminatedAt(s.terminatedAt)
        .build();
  }

  public static Subject decode(MoverSubject m) {
    Subject s = new Subject(m.getSubjectId());
    MoverProfile p = m.getProfile();
    if (p != null) {
      s.profile = new Profile(p.getRole(), p.getPrivileged(), p.getIdentityType(), p.getChannels(), p.getManagerId(),
          p.getRequiredLevel(), p.getPhishingResistant(), p.getRestrictedAllowed(), p.getEventId(), p.getEventTime());
    }
    for (MoverFactor mf : m.getFactors()) {
      Factor f = new Factor(mf.getAuthenticatorId(), mf.getFirstSeenAt());
      f.type = mf.getFactorType();
      f.deviceId = mf.getDeviceId();
      f.status = Factor.Status.valueOf(mf.getStatus().name());
      f.seenBound = mf.getSeenBound();
      f.boundAt = mf.getBoundAt();
      f.lastUsedAt = mf.getLastUsedAt();
      f.expiresAt = mf.getExpiresAt();
      f.suspendedAt = mf.getSuspendedAt();
      f.resumedAt = mf.getResumedAt();
      f.revokedAt = mf.getRevokedAt();
      f.expiredAt = mf.getExpiredAt();
      f.suspendedForNoncompliance = mf.getSuspendedForNoncompliance();
      f.requested = mf.getRequested() == MoverRequest.UNKNOWN ? Factor.Request.NONE : Factor.Request.valueOf(mf.getRequested().name());
      f.requestedCommandId = mf.getRequestedCommandId();
      f.requestedAt = mf.getRequestedAt();
      f.expiryRemindersSent = mf.getExpiryRemindersSent();
      f.staleReminderAt = mf.getStaleReminderAt();
      s.factors.put(f.id, f);
    }
    for (MoverDevice md : m.getDevices()) {
      DeviceMark d = new DeviceMark(md.getDeviceId());
      d.blockedBy = md.getBlockedBy();
      d.blockedEventId = md.getBlockedEventId();
      d.blockedAt = md.getBlockedAt();
      d.rebindDecided = md.getRebindDecided();
      d.clearedAt = md.getClearedAt();
      d.noncompliantEventId = md.getNoncompliantEventId();
      d.noncompliantAt = md.getNoncompliantAt();
      s.devices.put(d.deviceId, d);
    }
    MoverRebindCase r = m.getRebind();
    if (r != null) {
      s.rebind = new RebindCase(r.getCorrelationId(), r.getCausationId(), r.getCausationTime());
      s.rebind.ticketId = r.getTicketId();
      s.rebind.graceUntil.putAll(r.getGraceUntil());
    }
    s.recentEventIds.addAll(m.getRecentEventIds());
    s.scheduledDue = m.getScheduledDue();
    s.terminatedAt = m.getTerminatedAt();
    return s;
  }
}
