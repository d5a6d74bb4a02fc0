package io.authlifecycle.ingest.state;

import io.authlifecycle.avro.state.AuditChainHead;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the ingest remembers, in memory, rebuilt from its compacted state topic at start and after
 * any Kafka failure: users by id (and by userName), audit chain heads, recent device event ids.
 */
public final class IngestState {

  private final Map<String, StoredUser> users = new LinkedHashMap<>();
  private final Map<String, String> idByUserName = new HashMap<>();
  private final Map<String, AuditChainHead> heads = new HashMap<>();
  private final Map<String, List<String>> devices = new HashMap<>();

  /** A user by SCIM id, deleted ones included. */
  public Optional<StoredUser> user(String id) {
    return Optional.ofNullable(users.get(id));
  }

  /** The live (not deleted) user holding a userName; userName is case-insensitive in SCIM. */
  public Optional<StoredUser> byUserName(String userName) {
    return Optional.ofNullable(idByUserName.get(userName.toLowerCase(Locale.ROOT))).map(users::get);
  }

  /** Every user not deleted, in the order they were first seen. */
  public List<StoredUser> liveUsers() {
    return users.values().stream().filter(u -> !u.deleted()).toList();
  }

  public Collection<StoredUser> allUsers() {
    return users.values();
  }

  public Optional<AuditChainHead> head(String subject) {
    return Optional.ofNullable(heads.get(subject));
  }

  public List<String> deviceEventIds(String deviceId) {
    return devices.getOrDefault(deviceId, List.of());
  }

  /** Applies a record (read back from the topic, or just committed). */
  public void apply(StateRecord record) {
    if (record instanceof StateRecord.User u) {
      StoredUser previous = users.put(u.user().id(), u.user());
      if (previous != null) {
        idByUserName.remove(previous.userName().toLowerCase(Locale.ROOT), previous.id());
      }
      if (!u.user().deleted()) {
        idByUserName.put(u.user().userName().toLowerCase(Locale.ROOT), u.user().id());
      }
    } else if (record instanceof StateRecord.Chain c) {
      heads.put(c.subject(), c.head());
    } else if (record instanceof StateRecord.Device d) {
      devices.put(d.deviceId(), List.copyOf(d.eventIds()));
    }
  }
}
