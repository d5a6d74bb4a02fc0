package io.authlifecycle.core.approvals;

import io.authlifecycle.core.config.ConfigException;
import io.authlifecycle.core.config.Setting;
import java.security.PublicKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The approvers whose signed decisions count, and their Ed25519 public keys, from the setting
 * {@code approvers.keys}: comma-separated {@code approverId:base64-X.509-public-key} entries (the
 * line {@code keygen} prints).
 */
public final class ApproverKeyRegistry {

  public static final Setting<List<String>> APPROVER_KEYS = Setting.list("approvers.keys", "",
      "Approvers and their Ed25519 public keys: approverId:base64-X.509,... (from lifecyclectl keygen).")
      .validate(ApproverKeyRegistry::parses, "each entry must be approverId:base64 X.509 Ed25519 public key, each approver once");

  private final Map<String, PublicKey> keys;

  private ApproverKeyRegistry(Map<String, PublicKey> keys) {
    this.keys = Collections.unmodifiableMap(keys);
  }

  /** Parses the entries; a bad one fails with the key's name and the entry's position. */
  public static ApproverKeyRegistry parse(List<String> entries) {
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i).strip();
      int colon = entry.indexOf(':');
      if (colon <= 0 || colon == entry.length() - 1) {
        throw new ConfigException(APPROVER_KEYS.key(), "entry " + (i + 1) + " is not approverId:base64-public-key");
      }
      String approver = entry.substring(0, colon).strip();
      PublicKey key;
      try {
        key = Ed25519.decodePublic(entry.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(APPROVER_KEYS.key(), "entry " + (i + 1) + " (" + approver + "): " + e.getMessage());
      }
      if (keys.put(approver, key) != null) {
        throw new ConfigException(APPROVER_KEYS.key(), "approver " + approver + " is listed twice");
      }
    }
    return new ApproverKeyRegistry(keys);
  }

  public static ApproverKeyRegistry of(Map<String, PublicKey> keys) {
    return new ApproverKeyRegistry(new LinkedHashMap<>(keys));
  }

  /** The configuration line for one approver, as {@code keygen} prints it. */
  public static String entry(String approverId, PublicKey key) {
    return approverId + ":" + Ed25519.encodePublic(key);
  }

  public Optional<PublicKey> key(String approverId) {
    return Optional.ofNullable(keys.get(approverId));
  }

  public Set<String> approvers() {
    return keys.keySet();
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  private static boolean parses(List<String> entries) {
    try {
      parse(entries);
      return true;
    } catch (ConfigException e) {
      return false;
    }
  }
}
