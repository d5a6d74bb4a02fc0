package io.authlifecycle.mover.registry;

import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.core.policy.SubjectProfile;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry view of one subject: its HR profile (if any HR event was seen), every
 * authenticator ever seen, revoked ones too, what MDM said about its devices, an open re-bind
 * case, the ids of recent events (for de-duplication) and the due time of its one timer.
 */
public final class Subject {

  final String id;
  Profile profile;
  /** Set by an effective leaver: no reminders, expiry or staleness for someone who has left. */
  Instant terminatedAt;
  final Map<String, Factor> factors = new LinkedHashMap<>();
  final Map<String, DeviceMark> devices = new LinkedHashMap<>();
  RebindCase rebind;
  final Deque<String> recentEventIds = new ArrayDeque<>();
  Instant scheduledDue;

  public Subject(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public Optional<Profile> profile() {
    return Optional.ofNullable(profile);
  }

  public Optional<Factor> factor(String authenticatorId) {
    return Optional.ofNullable(factors.get(authenticatorId));
  }

  public Collection<Factor> factors() {
    return factors.values();
  }

  public Optional<DeviceMark> device(String deviceId) {
    return Optional.ofNullable(devices.get(deviceId));
  }

  public Optional<RebindCase> rebind() {
    return Optional.ofNullable(rebind);
  }

  public Instant scheduledDue() {
    return scheduledDue;
  }

  public void scheduledDue(Instant due) {
    this.scheduledDue = due;
  }

  /** Whether an event with this id was already decided. */
  public boolean seen(String eventId) {
    return recentEventIds.contains(eventId);
  }

  /** Remembers an event id, keeping the most recent {@code keep}. */
  public void remember(String eventId, int keep) {
    recentEventIds.addLast(eventId);
    while (recentEventIds.size() > keep) {
      recentEventIds.removeFirst();
    }
  }

  /** The factor with this id, recorded now if the registry never heard of it. */
  Factor record(String authenticatorId, FactorType type, Instant now) {
    Factor factor = factors.computeIfAbsent(authenticatorId, id -> new Factor(id, now));
    if (factor.type == FactorType.UNKNOWN && type != null) {
      factor.type = type;
    }
    return factor;
  }

  DeviceMark mark(String deviceId) {
    return devices.computeIfAbsent(deviceId, DeviceMark::new);
  }

  /** Factors bound to the device that still count (not revoked, expired or asked to be). */
  List<Factor> liveOnDevice(String deviceId) {
    return factors.values().stream().filter(f -> f.onDevice(deviceId) && !f.gone()).toList();
  }

  List<FactorType> usableTypes() {
    return factors.values().stream().filter(Factor::usable).map(f -> f.type).toList();
  }

  /** The subject as the policy sees it, or empty when no HR event was ever seen. */
  Optional<SubjectProfile> view() {
    return profile().map(Profile::view);
  }

  /** The subject's registered channels; the work mailbox when HR never told us. */
  List<Channel> channels() {
    List<Channel> known = profile == null ? List.of() : profile.channels();
    return known.isEmpty() ? List.of(Channel.WORK_EMAIL) : known;
  }
}
