package io.authlifecycle.ingest.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.utils.JsonUtils;
import io.authlifecycle.avro.state.AuditChainHead;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON of the state topic's records. Read through the SCIM SDK's reader, so a stored resource comes
 * back with SCIM's case-insensitive attribute names.
 */
public final class StateCodec {

  static final int FORMAT = 1;

  private StateCodec() {}

  public static String encode(StateRecord record) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("format", FORMAT);
    if (record instanceof StateRecord.User u) {
      StoredUser user = u.user();
      node.put("kind", "user").put("id", user.id()).put("version", user.version()).put("subjectId", user.subjectId())
          .put("userName", user.userName()).put("phase", user.phase().name())
          .put("deleted", user.deleted()).put("created", user.created().toEpochMilli())
          .put("lastModified", user.lastModified().toEpochMilli());
      if (user.leaverEffective() != null) {
        node.put("leaverEffective", user.leaverEffective().toEpochMilli());
      }
      node.set("resource", user.resource());
    } else if (record instanceof StateRecord.Chain c) {
      node.put("kind", "chain").put("subject", c.subject())
          .put("sequence", c.head().getSequence()).put("hash", c.head().getHash());
    } else if (record instanceof StateRecord.Device d) {
      node.put("kind", "device").put("deviceId", d.deviceId());
      ArrayNode ids = node.putArray("eventIds");
      d.eventIds().forEach(ids::add);
    }
    return node.toString();
  }

  public static StateRecord decode(String json) {
    JsonNode node;
    try {
      node = JsonUtils.getObjectReader().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a state record: " + e.getOriginalMessage(), e);
    }
    String kind = node.path("kind").asText();
    switch (kind) {
      case "user":
        return new StateRecord.User(new StoredUser(node.get("id").asText(), node.get("version").asLong(),
            node.get("subjectId").asText(), node.get("userName").asText(), UserPhase.valueOf(node.get("phase").asText()),
            node.hasNonNull("leaverEffective") ? Instant.ofEpochMilli(node.get("leaverEffective").asLong()) : null,
            node.get("deleted").asBoolean(), Instant.ofEpochMilli(node.get("created").asLong()),
            Instant.ofEpochMilli(node.get("lastModified").asLong()), (ObjectNode) node.get("resource")));
      case "chain":
        return new StateRecord.Chain(node.get("subject").asText(),
            new AuditChainHead(node.get("sequence").asLong(), node.get("hash").asText()));
      case "device":
        List<String> ids = new ArrayList<>();
        node.get("eventIds").forEach(id -> ids.add(id.asText()));
        return new StateRecord.Device(node.get("deviceId").asText(), ids);
      default:
        throw new IllegalArgumentException("unknown state record kind '" + kind + "'");
    }
  }
}
