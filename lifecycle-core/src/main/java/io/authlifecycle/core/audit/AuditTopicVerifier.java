package io.authlifecycle.core.audit;

import io.authlifecycle.core.audit.checkpoint.CheckpointVerifier;
import io.authlifecycle.core.audit.checkpoint.WriterKeys;
import io.authlifecycle.core.topics.TopicScan;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.RegistryUnavailableException;
import io.authlifecycle.schemas.SchemaCatalog;
import io.authlifecycle.schemas.Wire;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads an audit topic to its current end (read-committed) and checks every chain; given the
 * writers' public keys, it first reads their signed checkpoints and checks every record against
 * them. Each record is decoded with the schema it was written with (from its single-object header
 * or the schema registry) and rehashed from those bytes, so records of every released version and
 * both wire formats verify. Undecodable records are reported as breaks; an unreachable registry
 * stops the check.
 */
public final class AuditTopicVerifier {

  /** What to verify: the topics, one subject or all, the trusted keys (none: links only) and how to judge. */
  public record Request(String auditTopic, String checkpointTopic, Optional<String> subject, WriterKeys keys,
      AuditChainVerifier.Options options) {

    public static Request linksOnly(String auditTopic, Optional<String> subject) {
      return new Request(auditTopic, Topics.AUDIT_CHECKPOINTS.name(), subject, WriterKeys.none(),
          AuditChainVerifier.Options.standard());
    }
  }

  private final SchemaCatalog catalog;

  public AuditTopicVerifier(SchemaCatalog catalog) {
    this.catalog = catalog;
  }

  /** Verifies the topic's links; {@code subject} restricts the report to one subject's chains. */
  public AuditChainVerifier.Report verify(Map<String, Object> clientProps, String topic, Optional<String> subject) {
    return verify(clientProps, Request.linksOnly(topic, subject));
  }

  public AuditChainVerifier.Report verify(Map<String, Object> clientProps, Request request) {
    List<AuditChainVerifier.Break> unreadable = new ArrayList<>();
    CheckpointVerifier checkpoints = new CheckpointVerifier(request.keys(), request.options().since().isEmpty());
    if (!request.keys().isEmpty()) {
      TopicScan.readToEnd(clientProps, request.checkpointTopic(), request.options().since(), r -> {
        String position = request.checkpointTopic() + " partition " + r.partition() + " offset " + r.offset();
        try {
          checkpoints.accept(decode(r.value()), position);
        } catch (RegistryUnavailableException e) {
          throw e;
        } catch (RuntimeException e) {
          unreadable.add(new AuditChainVerifier.Break(AuditChainVerifier.Kind.UNREADABLE, "(unreadable checkpoint, key "
              + r.key() + ")", position, "cannot decode: " + e.getMessage()));
        }
      });
    }
    AuditChainVerifier verifier = new AuditChainVerifier(checkpoints.attestations(), request.options());
    // Only where the oldest records are gone (retention) may a checkpoint attest a record no longer there.
    Map<Integer, Long> beginning = TopicScan.beginningOffsets(clientProps, request.auditTopic());
    Map<Integer, Long> firstByPartition = new HashMap<>();
    int[] records = {0};
    TopicScan.readToEnd(clientProps, request.auditTopic(), request.options().since(), r -> {
      if (beginning.getOrDefault(r.partition(), 0L) > 0) {
        firstByPartition.putIfAbsent(r.partition(), r.timestamp());
      }
      if (request.subject().isPresent() && !request.subject().get().equals(r.key())) {
        return;
      }
      String position = "partition " + r.partition() + " offset " + r.offset();
      try {
        GenericRecord event = decode(r.value());
        verifier.accept(new AuditChainVerifier.Link(String.valueOf(event.get("worker")),
            String.valueOf(event.get("subjectId")), (Long) event.get("sequence"),
            String.valueOf(event.get("prevHash")), String.valueOf(event.get("hash")),
            AuditHasher.hash(event), position, r.timestamp()));
        records[0]++;
      } catch (RegistryUnavailableException e) {
        throw e;
      } catch (RuntimeException e) {
        unreadable.add(new AuditChainVerifier.Break(AuditChainVerifier.Kind.UNREADABLE, "(unreadable record, key "
            + r.key() + ")", position, "cannot decode: " + e.getMessage()));
      }
    });
    firstByPartition.values().forEach(verifier::windowStartsAt);
    AuditChainVerifier.Report chains = verifier.report();
    List<AuditChainVerifier.Break> breaks = new ArrayList<>(unreadable);
    breaks.addAll(checkpoints.breaks());
    breaks.addAll(request.subject().isEmpty() ? chains.breaks()
        : chains.breaks().stream().filter(b -> b.kind() == AuditChainVerifier.Kind.NO_CHECKPOINT
            || b.chain().endsWith(" / " + request.subject().get())).toList());
    return new AuditChainVerifier.Report(records[0] + (int) unreadable.stream()
        .filter(b -> b.chain().startsWith("(unreadable record")).count(), chains.chains(), breaks,
        checkpoints.valid(), chains.pending(), checkpoints.notes(request.options().now()));
  }

  private GenericRecord decode(byte[] bytes) {
    return Wire.decodeWithWriterSchema(bytes, catalog);
  }
}
