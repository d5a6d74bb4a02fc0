package io.authlifecycle.core.audit;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.core.audit.checkpoint.Attestations;
import io.authlifecycle.core.audit.checkpoint.Attestations.Attestation;
import io.authlifecycle.core.audit.checkpoint.WriterKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

/**
 * Checks audit chains: per (worker, subjectId), sequences start at 1 and step by one, each
 * {@code prevHash} is the previous record's hash, and each hash recomputes. It never stops at a
 * break: a record that links to no end of its chain starts a line of its own, so one junk record
 * hides nothing after it, and two records claiming one place are reported as a fork.
 *
 * <p>With the writers' signed checkpoints ({@link Attestations}) it also tells genuine records
 * from forged ones: a record whose sequence a checkpoint attests must have the attested hash; a
 * record no checkpoint covers, though its writer signed one after it, was not written by that
 * writer; an attested head missing from the topic means records were removed from the chain's
 * end; and a chain whose early records expired is trusted from its first attested record.
 */
public final class AuditChainVerifier {

  /** What kind of problem a break is. */
  public enum Kind {
    ALTERED, GAP, BROKEN_LINK, FORK, MISSING_START, NOT_ATTESTED_HASH, UNANCHORED, TRUNCATED, UNREADABLE,
    CHECKPOINT_FORGED, CHECKPOINT_GAP, CHECKPOINT_BROKEN, NO_CHECKPOINT
  }

  /** One audit record as read, with where it was read from and its record timestamp (epoch ms, 0 if unknown). */
  public record Link(String worker, String subjectId, long sequence, String prevHash, String hash,
      String recomputedHash, String position, long timestamp) {

    public Link(String worker, String subjectId, long sequence, String prevHash, String hash, String recomputedHash,
        String position) {
      this(worker, subjectId, sequence, prevHash, hash, recomputedHash, position, 0);
    }

    public static Link of(AuditEvent event, String position) {
      return new Link(event.getWorker(), event.getSubjectId(), event.getSequence(), event.getPrevHash(),
          event.getHash(), AuditHasher.hash(event), position, event.getEventTime().toEpochMilli());
    }

    String chain() {
      return Attestations.chain(worker, subjectId);
    }
  }

  /** One problem: in a chain (or a checkpoint scope), where, and what. */
  public record Break(Kind kind, String chain, String position, String problem) {
    @Override
    public String toString() {
      return chain + " at " + position + ": " + problem;
    }
  }

  /** The outcome over everything read; {@code pending} records are too recent to be covered by a checkpoint yet. */
  public record Report(int records, int chains, List<Break> breaks, int checkpoints, int pending, List<String> notes) {

    public Report(int records, int chains, List<Break> breaks) {
      this(records, chains, breaks, 0, 0, List.of());
    }

    public boolean intact() {
      return breaks.isEmpty();
    }
  }

  /**
   * How to judge: {@code since} when reading began later than the topic's start (chains may then
   * start mid-way), {@code grace} for clocks between a writer's tasks, {@code now} for what is recent.
   */
  public record Options(Optional<Instant> since, Duration grace, Instant now) {
    public static Options standard() {
      return new Options(Optional.empty(), Duration.ofMinutes(1), Instant.now());
    }
  }

  /** A run of records linked by their hashes; a chain normally has one. */
  private static final class Line {
    final long firstSequence;
    final String firstPosition;
    final boolean fromGenesis;
    long lastSequence;
    String lastHash;
    String lastPosition;
    boolean anchored;
    // Records after the last attested one: the line's tail that no checkpoint covers yet.
    long tailFirst = -1;
    String tailPosition;
    long tailOldest = Long.MAX_VALUE;
    int tailCount;

    Line(Link first) {
      firstSequence = first.sequence();
      firstPosition = first.position();
      fromGenesis = first.sequence() == 1 && AuditHasher.GENESIS.equals(first.prevHash());
    }

    void append(Link link) {
      lastSequence = link.sequence();
      lastHash = link.hash();
      lastPosition = link.position();
    }

    void anchor() {
      anchored = true;
      tailFirst = -1;
      tailCount = 0;
      tailOldest = Long.MAX_VALUE;
    }

    void unattested(Link link) {
      if (tailCount++ == 0) {
        tailFirst = link.sequence();
        tailPosition = link.position();
      }
      tailOldest = Math.min(tailOldest, link.timestamp());
    }
  }

  private static final class Chain {
    final String worker;
    final List<Line> lines = new ArrayList<>(1);

    Chain(String worker) {
      this.worker = worker;
    }

    Line endingWith(String hash) {
      for (Line line : lines) {
        if (hash.equals(line.lastHash)) {
          return line;
        }
      }
      return null;
    }
  }

  private final Attestations attestations;
  private final Options options;
  private final Map<String, Chain> chains = new LinkedHashMap<>();
  private final List<Break> breaks = new ArrayList<>();
  private int records;
  private long windowStart;

  /** Links only: no checkpoints to anchor to. */
  public AuditChainVerifier() {
    this(new Attestations(WriterKeys.none()), Options.standard());
  }

  public AuditChainVerifier(Attestations attestations, Options options) {
    this.attestations = attestations;
    this.options = options;
    this.windowStart = options.since().map(Instant::toEpochMilli).orElse(0L);
  }

  /**
   * The time from which a partition read holds every record (retention removed what is older, or
   * reading began there): a checkpoint may attest a record from before it that is no longer there.
   */
  public void windowStartsAt(long epochMillis) {
    windowStart = Math.max(windowStart, epochMillis);
  }

  /** Feeds the next record, in the order it was read from its partition. */
  public void accept(Link link) {
    records++;
    Chain chain = chains.computeIfAbsent(link.chain(), c -> new Chain(link.worker()));
    if (!link.hash().equals(link.recomputedHash())) {
      add(Kind.ALTERED, link, "hash does not match the record's content (altered)");
    }
    Line line = chain.endingWith(link.prevHash());
    if (line != null) {
      if (link.sequence() != line.lastSequence + 1) {
        add(Kind.GAP, link, "gap: sequence " + link.sequence() + " follows " + line.lastSequence);
      }
    } else {
      if (!chain.lines.isEmpty()) {
        Line main = chain.lines.get(0);
        if (link.sequence() <= main.lastSequence) {
          add(Kind.FORK, link, "fork: a second record for sequence " + link.sequence() + " (the chain is at "
              + main.lastSequence + ", " + main.lastPosition + ")");
        } else if (link.sequence() == main.lastSequence + 1) {
          add(Kind.BROKEN_LINK, link, "prevHash does not link to the previous record at " + main.lastPosition);
        } else {
          add(Kind.GAP, link, "gap: sequence " + link.sequence() + " follows " + main.lastSequence
              + ", and prevHash links to no record read");
        }
      }
      line = new Line(link);
      chain.lines.add(line);
    }
    line.append(link);
    Attestation attested = attestations.of(link.chain()).get(link.sequence());
    if (attested != null && attested.hash().equals(link.hash())) {
      line.anchor();
    } else {
      if (attested != null) {
        add(Kind.NOT_ATTESTED_HASH, link, "not the record " + attested.checkpoint() + " attests for sequence "
            + link.sequence() + " (hash " + abbreviate(attested.hash()) + ", this one " + abbreviate(link.hash()) + ")");
      }
      line.unattested(link);
    }
  }

  public Report report() {
    List<Break> all = new ArrayList<>(breaks);
    int pending = 0;
    chains.values().stream().map(c -> c.worker).distinct()
        .filter(w -> attestations.expected(w) && attestations.lastCheckpoint(w).isEmpty())
        .forEach(w -> all.add(new Break(Kind.NO_CHECKPOINT, w, "(checkpoint topic)", "a key signs for " + w
            + " but no checkpoint of it was read: none of its records can be told from a forger's")));
    for (Map.Entry<String, Chain> e : chains.entrySet()) {
      pending += judge(e.getKey(), e.getValue(), all);
      truncated(e.getKey(), e.getValue(), all);
    }
    for (String chain : attestations.all().keySet()) {
      if (!chains.containsKey(chain)) {
        truncated(chain, null, all);
      }
    }
    return new Report(records, chains.size(), all, 0, pending, List.of());
  }

  /**
   * Reports what no checkpoint vouches for: with the writer's checkpoints, a tail written before
   * its latest one (or dated in the future); without them, a chain that does not start at its
   * genesis. Returns how many records are merely too recent to be covered yet.
   */
  private int judge(String name, Chain chain, List<Break> out) {
    Optional<Instant> last = attestations.expected(chain.worker)
        ? attestations.lastCheckpoint(chain.worker, name) : Optional.empty();
    int pending = 0;
    for (int i = 0; i < chain.lines.size(); i++) {
      Line line = chain.lines.get(i);
      if (last.isEmpty()) {
        if (i == 0 && !line.fromGenesis && options.since().isEmpty()) {
          out.add(new Break(Kind.MISSING_START, name, line.firstPosition, "chain starts at sequence " + line.firstSequence
              + " (earlier records missing)"));
        }
        continue;
      }
      NavigableMap<Long, Attestation> attested = attestations.of(name);
      // A line that ends before the chain's last attested head is reported as truncated instead.
      if (line.tailCount == 0 || (!attested.isEmpty() && attested.lastKey() > line.lastSequence)) {
        continue;
      }
      long coveredBefore = last.get().minus(options.grace()).toEpochMilli();
      boolean future = line.tailOldest > options.now().plus(options.grace()).toEpochMilli();
      if (line.tailOldest < coveredBefore || future) {
        out.add(new Break(Kind.UNANCHORED, name, line.tailPosition, line.tailCount + " record(s) from sequence "
            + line.tailFirst + " are covered by no checkpoint of " + chain.worker + ", though it signed one at " + last.get()
            + (future ? " (and they are dated in the future)" : "") + ": written by someone else, or the writer lost its state"));
      } else {
        pending += line.tailCount;
      }
    }
    return pending;
  }

  /** An attested head beyond the chain's last record read: records were removed from its end. */
  private void truncated(String name, Chain chain, List<Break> out) {
    NavigableMap<Long, Attestation> attested = attestations.of(name);
    if (attested.isEmpty()) {
      return;
    }
    Attestation highest = attested.lastEntry().getValue();
    long readUpTo = chain == null ? 0 : chain.lines.stream().mapToLong(l -> l.lastSequence).max().orElse(0);
    // The head of a chain whose records all expired may outlive them by one interval; only later ones count.
    long mustBeThere = windowStart + highest.intervalMillis() + options.grace().toMillis();
    if (highest.sequence() > readUpTo && highest.createdAt().toEpochMilli() >= mustBeThere) {
      out.add(new Break(Kind.TRUNCATED, name, chain == null ? "(no record read)" : chain.lines.get(0).lastPosition,
          highest.checkpoint() + " attests sequence " + highest.sequence() + " but the chain read ends at "
              + (readUpTo == 0 ? "nothing" : "sequence " + readUpTo) + ": records were removed from its end"));
    }
  }

  private void add(Kind kind, Link link, String problem) {
    breaks.add(new Break(kind, link.chain(), link.position(), problem));
  }

  private static String abbreviate(String hash) {
    return hash.length() <= 12 ? hash : hash.substring(0, 12) + "…";
  }

  /** Verifies a list of records read in order, links only. */
  public static Report verify(List<AuditEvent> events) {
    AuditChainVerifier verifier = new AuditChainVerifier();
    for (int i = 0; i < events.size(); i++) {
      verifier.accept(Link.of(events.get(i), "record " + i));
    }
    return verifier.report();
  }
}
