package io.authlifecycle.ctl.approvals;

import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryEvidence;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.core.approvals.PersonKeyFile;
import io.authlifecycle.core.approvals.RequestSigner;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.ctl.KafkaOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code request open}: a help-desk agent opens a recovery request for a subject, signed with the
 * agent's key (the agent is the requester), and publishes it on the help-desk topic.
 */
@Command(name = "open", mixinStandardHelpOptions = true,
    description = {"Open a recovery request for a subject as a help-desk agent.",
        "Signs the request with your key (you are its requester) and publishes it on recovery.requests.v1."})
public final class RequestOpenCommand implements Callable<Integer> {

  private final Clock clock;

  @Spec
  CommandSpec spec;

  @Option(names = "--subject", required = true, description = "The subject (HR subject id) whose factors are recovered.")
  String subject;

  @Option(names = "--key", required = true, description = "Your help-desk key file (from keygen).")
  Path keyFile;

  @Option(names = "--request-id", description = "The request id (default: a new random one); never reused for a subject.")
  String requestId;

  @Option(names = "--reason", defaultValue = "DEVICE_LOST",
      description = "DEVICE_LOST, FACTOR_LOST, FACTOR_DAMAGED, LOCKED_OUT or OTHER (default: ${DEFAULT-VALUE}).")
  RecoveryReason reason;

  @Option(names = "--evidence", required = true,
      description = {"A proof you checked, as METHOD[:REFERENCE[:LEVEL]][@ISO-TIME] (repeatable), e.g.",
          "IDENTITY_PROOFING:proof-88:IAL2, SAVED_RECOVERY_CODE:code-ref, BOUND_AUTHENTICATOR:otp-1@2026-11-02T09:00:00Z.",
          "The time defaults to now (when you checked it)."})
  List<String> evidence;

  @Option(names = "--lost", description = "An authenticator id reported lost (repeatable); revoked when the recovery completes.")
  List<String> lost = new ArrayList<>();

  @Option(names = "--comment", description = "A note kept with the request (signed; no secrets).")
  String comment;

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--timeout", defaultValue = "PT15S", description = "How long to wait for Kafka (ISO-8601, default: ${DEFAULT-VALUE}).")
  Duration timeout;

  public RequestOpenCommand() {
    this(Clock.systemUTC());
  }

  public RequestOpenCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    PersonKeyFile key;
    try {
      key = PersonKeyFile.read(keyFile);
    } catch (PersonKeyFile.KeyFileException e) {
      err.println("error: wrong key file: " + e.getMessage());
      return 1;
    }
    if (!key.roles().contains(Role.HELP_DESK)) {
      err.println("error: wrong key file: " + keyFile + " is a " + key.roles() + " key of " + key.personId()
          + ", not a help-desk key");
      return 1;
    }
    if (key.person().hrSubjectId().equals(subject)) {
      err.println("error: you (" + key.person() + ") cannot open a recovery request for yourself; ask a colleague");
      return 1;
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    List<RecoveryEvidence> proofs = new ArrayList<>();
    for (String proof : evidence) {
      try {
        proofs.add(evidence(proof, now));
      } catch (IllegalArgumentException | DateTimeParseException e) {
        err.println("error: --evidence " + proof + ": " + e.getMessage());
        return 1;
      }
    }
    String id = requestId != null ? requestId : "r-" + UUID.randomUUID();
    RecoveryRequest signed = RequestSigner.sign(RecoveryRequest.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setEventTime(now)
        .setRequestId(id)
        .setKind(RecoveryRequestKind.OPEN)
        .setSubjectId(subject)
        .setChannel(RecoveryChannel.HELP_DESK)
        .setReason(reason)
        .setEvidence(proofs)
        .setLostAuthenticatorIds(List.copyOf(lost))
        .setComment(comment), key);
    try {
      ApprovalTopics.publish(kafka, Topics.RECOVERY_REQUESTS, subject, signed, timeout);
    } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
      err.println("error: the request was not published to " + kafka.bootstrap() + ": " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().println(id);
    err.println("published recovery request " + id + " for " + subject + ", signed by " + key.person()
        + "; the recovery worker verifies it and audits recovery.requested or recovery.refused");
    return 0;
  }

  /** {@code METHOD[:REFERENCE[:LEVEL]][@ISO-TIME]}. */
  static RecoveryEvidence evidence(String spec, Instant now) {
    String body = spec;
    Instant verifiedAt = now;
    int at = spec.lastIndexOf('@');
    if (at >= 0) {
      verifiedAt = Instant.parse(spec.substring(at + 1));
      body = spec.substring(0, at);
    }
    String[] parts = body.split(":", 3);
    EvidenceMethod method = known(EvidenceMethod.class, parts[0], "method");
    RecoveryEvidence.Builder proof = RecoveryEvidence.newBuilder().setMethod(method).setVerifiedAt(verifiedAt)
        .setReference(parts.length > 1 && !parts[1].isBlank() ? parts[1] : null);
    if (parts.length > 2) {
      proof.setLevel(known(IdentityAssuranceLevel.class, parts[2], "level"));
    }
    return proof.build();
  }

  private static <E extends Enum<E>> E known(Class<E> type, String name, String what) {
    try {
      E value = Enum.valueOf(type, name.strip().toUpperCase(Locale.ROOT));
      if (!value.name().equals("UNKNOWN")) {
        return value;
      }
    } catch (IllegalArgumentException e) {
      // falls through to the message below
    }
    List<String> known = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      if (!e.name().equals("UNKNOWN")) {
        known.add(e.name());
      }
    }
    throw new IllegalArgumentException("unknown " + what + " '" + name + "' (" + String.join(", ", known) + ")");
  }
}
