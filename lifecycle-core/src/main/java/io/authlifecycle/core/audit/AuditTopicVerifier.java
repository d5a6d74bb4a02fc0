package io.authlifecycle.core.audit;

import io.authlifecycle.core.topics.TopicScan;
import io.authlifecycle.schemas.RegistryUnavailableException;
import io.authlifecycle.schemas.SchemaCatalog;
import io.authlifecycle.schemas.Wire;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads an audit topic from the beginning to its current end (read-committed) and checks every
 * chain. Each record is decoded with the schema it was written with (from its single-object header
 * or the schema registry) and rehashed from those bytes, so records of every released version and
 * both wire formats verify. Undecodable records are reported as breaks; an unreachable registry stops the check.
 */
public final class AuditTopicVerifier {

  private final SchemaCatalog catalog;

  public AuditTopicVerifier(SchemaCatalog catalog) {
    this.catalog = catalog;
  }

  /** Verifies the topic; {@code subject} restricts the report to one subject's chains. */
  public AuditChainVerifier.Report verify(Map<String, Object> clientProps, String topic, Optional<String> subject) {
    AuditChainVerifier verifier = new AuditChainVerifier();
    List<AuditChainVerifier.Break> unreadable = new ArrayList<>();
    TopicScan.readToEnd(clientProps, topic, r -> {
      if (subject.isPresent() && !subject.get().equals(r.key())) {
        return;
      }
      String position = "partition " + r.partition() + " offset " + r.offset();
      try {
        GenericRecord event = decode(r.value());
        verifier.accept(new AuditChainVerifier.Link(String.valueOf(event.get("worker")),
            String.valueOf(event.get("subjectId")), (Long) event.get("sequence"),
            String.valueOf(event.get("prevHash")), String.valueOf(event.get("hash")),
            AuditHasher.hash(event), position));
      } catch (RegistryUnavailableException e) {
        throw e;
      } catch (RuntimeException e) {
        unreadable.add(new AuditChainVerifier.Break("(unreadable record, key " + r.key() + ")", position,
            "cannot decode: " + e.getMessage()));
      }
    });
    AuditChainVerifier.Report report = verifier.report();
    if (unreadable.isEmpty()) {
      return report;
    }
    List<AuditChainVerifier.Break> breaks = new ArrayList<>(unreadable);
    breaks.addAll(report.breaks());
    return new AuditChainVerifier.Report(report.records() + unreadable.size(), report.chains(), breaks);
  }

  private GenericRecord decode(byte[] bytes) {
    return Wire.decodeWithWriterSchema(bytes, catalog);
  }
}
