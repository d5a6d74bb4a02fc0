package io.authlifecycle.ingest.state;

import io.authlifecycle.avro.state.AuditChainHead;
import java.util.List;

/** One record of the ingest's compacted state topic; its key names its kind and id. */
public sealed interface StateRecord {

  String key();

  /** A SCIM user. */
  record User(StoredUser user) implements StateRecord {
    @Override
    public String key() {
      return "user:" + user.id();
    }
  }

  /** The head of one of the ingest's audit chains. */
  record Chain(String subject, AuditChainHead head) implements StateRecord {
    @Override
    public String key() {
      return "chain:" + subject;
    }
  }

  /** The latest event ids accepted for a device, to recognise a webhook's retry. */
  record Device(String deviceId, List<String> eventIds) implements StateRecord {
    @Override
    public String key() {
      return "device:" + deviceId;
    }
  }
}
