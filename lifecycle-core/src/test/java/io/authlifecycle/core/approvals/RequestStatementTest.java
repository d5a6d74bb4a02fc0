package io.authlifecycle.core.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.EvidenceMethod;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryEvidence;
import io.authlifecycle.avro.RecoveryReason;
import io.authlifecycle.avro.RecoveryRequest;
import io.authlifecycle.avro.RecoveryRequestKind;
import io.authlifecycle.schemas.AvroSerde;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a help-desk agent signs: every field the worker decides on, in one unambiguous encoding. */
class RequestStatementTest {

  private static final Instant AT = Instant.parse("2026-11-02T09:15:00.123Z");

  static {
    AvroSerde.of(RecoveryRequest.class);
  }

  @Test
  void canonicalBytesFollowTheDocumentedLayout() {
    byte[] bytes = RequestStatement.canonicalBytes(request(), "hd-7");

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (String text : List.of("authn-lifecycle/recovery-request/v1", "OPEN", "r-1", "s-1", "HELP_DESK", "hd-7", "DEVICE_LOST")) {
      text(expected, text);
    }
    expected.writeBytes(ByteBuffer.allocate(4).putInt(1).array());
    text(expected, "IDENTITY_PROOFING");
    expected.write(1);
    text(expected, "proof-9");
    text(expected, "IAL3");
    expected.writeBytes(ByteBuffer.allocate(8).putLong(AT.toEpochMilli()).array());
    expected.writeBytes(ByteBuffer.allocate(4).putInt(1).array());
    text(expected, "lost-key-1");
    expected.write(0);
    expected.writeBytes(ByteBuffer.allocate(8).putLong(AT.toEpochMilli()).array());
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(HexFormat.of().formatHex(expected.toByteArray()));
  }

  @Test
  void everyDecidedFieldChangesTheBytesButTheEventIdDoesNot() {
    RecoveryRequest base = request();
    byte[] bytes = RequestStatement.canonicalBytes(base, "hd-7");

    List<RecoveryRequest> changed = List.of(
        RecoveryRequest.newBuilder(base).setRequestId("r-2").build(),
        RecoveryRequest.newBuilder(base).setSubjectId("s-2").build(),
        RecoveryRequest.newBuilder(base).setChannel(RecoveryChannel.SYSTEM).build(),
        RecoveryRequest.newBuilder(base).setKind(RecoveryRequestKind.CANCEL).build(),
        RecoveryRequest.newBuilder(base).setReason(RecoveryReason.OTHER).build(),
        RecoveryRequest.newBuilder(base).setEvidence(List.of()).build(),
        RecoveryRequest.newBuilder(base).setLostAuthenticatorIds(List.of()).build(),
        RecoveryRequest.newBuilder(base).setComment("").build(),
        RecoveryRequest.newBuilder(base).setEventTime(AT.plusMillis(1)).build());
    for (RecoveryRequest other : changed) {
      assertThat(RequestStatement.canonicalBytes(other, "hd-7")).as(other.toString()).isNotEqualTo(bytes);
    }
    assertThat(RequestStatement.canonicalBytes(base, "hd-8")).isNotEqualTo(bytes);
    assertThat(RequestStatement.canonicalBytes(RecoveryRequest.newBuilder(base).setEventId("other").build(), "hd-7"))
        .isEqualTo(bytes);
  }

  static RecoveryRequest request() {
    return RecoveryRequest.newBuilder().setEventId("ev-1").setEventTime(AT).setRequestId("r-1")
        .setKind(RecoveryRequestKind.OPEN).setSubjectId("s-1").setChannel(RecoveryChannel.HELP_DESK)
        .setReason(RecoveryReason.DEVICE_LOST).setRequesterId("whoever")
        .setEvidence(List.of(RecoveryEvidence.newBuilder().setMethod(EvidenceMethod.IDENTITY_PROOFING).setReference("proof-9")
            .setLevel(IdentityAssuranceLevel.IAL3).setVerifiedAt(AT).build()))
        .setLostAuthenticatorIds(List.of("lost-key-1")).build();
  }

  private static void text(ByteArrayOutputStream out, String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(utf8.length).array());
    out.writeBytes(utf8);
  }
}
