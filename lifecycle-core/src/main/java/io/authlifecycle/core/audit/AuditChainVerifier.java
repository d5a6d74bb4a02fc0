package io.authlifecycle.core.audit;

import io.authlifecycle.avro.AuditEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks audit chains: per (worker, subjectId), sequences start at 1 and step by one, each
 * {@code prevHash} is the previous record's hash, and each hash recomputes. Reports the first
 * break of each chain.
 */
public final class AuditChainVerifier {

  /** One audit record as read, with where it was read from (for example "partition 2 offset 17"). */
  public record Link(String worker, String subjectId, long sequence, String prevHash, String hash,
      String recomputedHash, String position) {

    public static Link of(AuditEvent event, String position) {
      return new Link(event.getWorker(), event.getSubjectId(), event.getSequence(), event.getPrevHash(),
          event.getHash(), AuditHasher.hash(event), position);
    }

    String chain() {
      return worker + " / " + subjectId;
    }
  }

  /** The first problem found in one chain. */
  public record Break(String chain, String position, String problem) {
    @Override
    public String toString() {
      return chain + " at " + position + ": " + problem;
    }
  }

  /** The outcome over everything read. */
  public record Report(int records, int chains, List<Break> breaks) {
    public boolean intact() {
      return breaks.isEmpty();
    }
  }

  private final Map<String, Link> heads = new LinkedHashMap<>();
  private final Map<String, Break> breaks = new LinkedHashMap<>();
  private int records;

  /** Feeds the next record, in the order it was read from its partition. */
  public void accept(Link link) {
    records++;
    String chain = link.chain();
    if (breaks.containsKey(chain)) {
      heads.put(chain, link);
      return;
    }
    Link previous = heads.put(chain, link);
    String problem = null;
    if (!link.hash().equals(link.recomputedHash())) {
      problem = "hash does not match the record's content (altered)";
    } else if (previous == null) {
      if (link.sequence() != 1 || !AuditHasher.GENESIS.equals(link.prevHash())) {
        problem = "chain starts at sequence " + link.sequence() + " (earlier records missing)";
      }
    } else if (link.sequence() != previous.sequence() + 1) {
      problem = "gap: sequence " + link.sequence() + " follows " + previous.sequence();
    } else if (!link.prevHash().equals(previous.hash())) {
      problem = "prevHash does not link to the previous record at " + previous.position();
    }
    if (problem != null) {
      breaks.put(chain, new Break(chain, link.position(), problem));
    }
  }

  public Report report() {
    return new Report(records, heads.size(), new ArrayList<>(breaks.values()));
  }

  /** Verifies a list of records read in order. */
  public static Report verify(List<AuditEvent> events) {
    AuditChainVerifier verifier = new AuditChainVerifier();
    for (int i = 0; i < events.size(); i++) {
      verifier.accept(Link.of(events.get(i), "record " + i));
    }
    return verifier.report();
  }
}
