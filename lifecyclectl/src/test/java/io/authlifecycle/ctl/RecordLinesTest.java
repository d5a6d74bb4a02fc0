package io.authlifecycle.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.avro.AuthenticatorUsed;
import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import io.authlifecycle.avro.FactorType;
import io.authlifecycle.avro.IdentityType;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.avro.WorkerEventType;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import io.authlifecycle.schemas.SampleRecords;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class RecordLinesTest {

  // Loading the registry first installs the rule that lets Avro build the generated classes.
  private static final List<TopicSpec<?>> TOPICS = Topics.allWithDeadLetters();

  @Test
  void readsAHandWrittenPlainLineWithIsoTimesAndPlainOptionalValuesFillingOmittedDefaults() throws Exception {
    String line = "{\"eventId\":\"hr-9\",\"eventTime\":\"2026-11-02T09:00:00Z\",\"type\":\"LEAVER\",\"subjectId\":\"bob\","
        + "\"effectiveTime\":\"2026-11-02T10:00:00+01:00\",\"immediate\":true,\"role\":\"sales\",\"managerId\":null}";

    SpecificRecord record = RecordLines.parse(Topics.HR_WORKER_EVENTS, line);

    assertThat(record).isEqualTo(WorkerEvent.newBuilder()
        .setEventId("hr-9").setEventTime(Instant.parse("2026-11-02T09:00:00Z")).setType(WorkerEventType.LEAVER)
        .setSubjectId("bob").setIdentityType(IdentityType.UNKNOWN).setRole("sales").setPrivileged(false)
        .setEffectiveTime(Instant.parse("2026-11-02T09:00:00Z")).setImmediate(true).setForCause(false)
        .setIdentityVerification(null).setManagerId(null).setChannels(List.of()).setOwnedServiceIdentities(List.of())
        .setApprovers(List.of()).setSource(null).build());
    assertThat(RecordLines.format(Topics.HR_WORKER_EVENTS, record)).contains("\"eventTime\":\"2026-11-02T09:00:00Z\"")
        .contains("\"role\":\"sales\"").contains("\"managerId\":null").contains("\"type\":\"LEAVER\"");
  }

  @Test
  void readsANestedOptionalRecordAndEpochMillisInThePlainForm() throws Exception {
    String line = "{\"eventId\":\"hr-1\",\"eventTime\":1793610000000,\"type\":\"JOINER\",\"subjectId\":\"ann\","
        + "\"effectiveTime\":\"2026-11-02T09:00:00Z\",\"identityVerification\":{\"verificationId\":\"iv-1\","
        + "\"method\":\"IN_PERSON_PROOFING\",\"level\":\"IAL2\",\"verifiedAt\":\"2026-11-01T09:00:00Z\"}}";

    WorkerEvent record = (WorkerEvent) RecordLines.parse(Topics.HR_WORKER_EVENTS, line);

    assertThat(record.getEventTime()).isEqualTo(Instant.ofEpochMilli(1793610000000L));
    assertThat(record.getIdentityVerification().getVerifiedAt()).isEqualTo(Instant.parse("2026-11-01T09:00:00Z"));
    assertThat(record.getIdentityVerification().getVerifier()).isNull();
  }

  @Test
  void readsAvrosOwnJsonFormWhenAsked() throws Exception {
    String line = "{\"eventId\":\"hr-9\",\"eventTime\":1793610000000,\"type\":\"LEAVER\",\"subjectId\":\"bob\","
        + "\"effectiveTime\":1793610000000,\"immediate\":true,\"role\":{\"string\":\"sales\"}}";

    SpecificRecord record = RecordLines.parse(Topics.HR_WORKER_EVENTS, line, RecordLines.Form.AVRO_JSON);

    assertThat(record).isEqualTo(WorkerEvent.newBuilder()
        .setEventId("hr-9").setEventTime(Instant.ofEpochMilli(1793610000000L)).setType(WorkerEventType.LEAVER)
        .setSubjectId("bob").setIdentityType(IdentityType.UNKNOWN).setRole("sales").setPrivileged(false)
        .setEffectiveTime(Instant.ofEpochMilli(1793610000000L)).setImmediate(true).setForCause(false)
        .setIdentityVerification(null).setManagerId(null).setChannels(List.of()).setOwnedServiceIdentities(List.of())
        .setApprovers(List.of()).setSource(null).build());
    assertThat(RecordLines.key(Topics.HR_WORKER_EVENTS, record)).isEqualTo("bob");
  }

  @Test
  void readsTheTypeWrapperOnTheMultiTypeFactsTopic() throws Exception {
    String line = "{\"type\":\"AuthenticatorUsed\",\"record\":{\"eventId\":\"f-2\",\"eventTime\":\"2026-11-02T09:00:00Z\","
        + "\"subjectId\":\"s-1\",\"authenticatorId\":\"a-1\",\"factorType\":\"OTP_APP\"}}";

    SpecificRecord record = RecordLines.parse(Topics.AUTHENTICATOR_EVENTS, line);

    assertThat(record).isEqualTo(AuthenticatorUsed.newBuilder().setEventId("f-2")
        .setEventTime(Instant.parse("2026-11-02T09:00:00Z")).setSubjectId("s-1").setAuthenticatorId("a-1")
        .setFactorType(FactorType.OTP_APP).setSource(null).build());
  }

  @Test
  void readsAndWritesDeadLettersWithTheOriginalBytesAsBase64() throws Exception {
    DeadLetter letter = DeadLetter.newBuilder().setEventId("dl-1").setEventTime(SampleRecords.T0)
        .setSourceTopic("hr.worker-events.v1").setPartition(2).setOffset(7).setRecordTimestamp(null)
        .setKey(ByteBuffer.wrap("alice".getBytes(StandardCharsets.UTF_8)))
        .setValue(ByteBuffer.wrap(new byte[] {(byte) 0xC3, 0x01, (byte) 0xFF}))
        .setErrorKind(DeadLetterKind.UNDECODABLE).setError("bad header").setWorker("leaver-worker").build();
    TopicSpec<DeadLetter> dlq = Topics.HR_WORKER_EVENTS.deadLetterTopic();

    for (RecordLines.Form form : RecordLines.Form.values()) {
      String line = RecordLines.format(dlq, letter, form);

      assertThat(line).contains("\"key\":\"YWxpY2U=\"").contains("\"value\":\"wwH/\"")
          .contains("\"errorKind\":\"UNDECODABLE\"").contains("\"error\":\"bad header\"");
      assertThat(RecordLines.parse(dlq, line, form)).isEqualTo(letter);
    }
    assertThat(RecordLines.key(dlq, letter)).isEqualTo("alice");
  }

  @Test
  void everySampleRecordSurvivesFormatAndParseOnItsTopic() throws Exception {
    for (SpecificRecord record : SampleRecords.oneOfEach()) {
      TopicSpec<?> topic = TOPICS.stream().filter(t -> t.carries(record.getClass())).findFirst().orElseThrow();
      for (RecordLines.Form form : RecordLines.Form.values()) {
        assertThat(RecordLines.parse(topic, RecordLines.format(topic, record, form), form)).as(topic.name() + " " + form)
            .isEqualTo(record);
      }
    }
  }

  @Test
  void refusesLinesThatAreNotOneRecordOfTheTopic() {
    assertMalformed(Topics.HR_WORKER_EVENTS, "{not json", "not JSON");
    assertMalformed(Topics.HR_WORKER_EVENTS, "[1,2]", "expected one JSON object");
    assertMalformed(Topics.HR_WORKER_EVENTS, "{\"eventId\":\"x\"} {\"eventId\":\"y\"}", "not JSON");
    assertMalformed(Topics.HR_WORKER_EVENTS, "{\"eventId\":\"x\",\"eventTime\":1,\"subjectId\":\"a\"}",
        "missing required fields [type, effectiveTime] of WorkerEvent");
    assertMalformed(Topics.HR_WORKER_EVENTS, "{\"eventId\":\"x\",\"eventTime\":1,\"type\":\"LEAVER\",\"subjectId\":\"a\","
        + "\"effectiveTime\":1,\"immediat\":true}", "unknown field \"immediat\" for WorkerEvent");
    assertMalformed(Topics.HR_WORKER_EVENTS, "{\"eventId\":\"x\",\"eventTime\":1,\"type\":\"FIRED\",\"subjectId\":\"a\","
        + "\"effectiveTime\":1}", "field type must be one of [UNKNOWN, JOINER, MOVER, LEAVER");
    assertMalformed(Topics.HR_WORKER_EVENTS, "{\"eventId\":\"x\",\"eventTime\":\"yesterday\",\"type\":\"LEAVER\","
        + "\"subjectId\":\"a\",\"effectiveTime\":1}", "field eventTime is not an ISO-8601 time (e.g. 2026-11-02T09:00:00Z): yesterday");
    assertMalformed(Topics.HR_WORKER_EVENTS, "{\"eventId\":\"x\",\"eventTime\":1,\"type\":\"LEAVER\",\"subjectId\":\"a\","
        + "\"effectiveTime\":1,\"role\":{\"string\":\"sales\"}}", "union wrappers such as {\"string\": ...} are the --avro-json form");
    assertMalformed(Topics.HR_WORKER_EVENTS, "{\"eventId\":\"x\",\"eventTime\":1,\"type\":\"LEAVER\",\"subjectId\":\"a\","
        + "\"effectiveTime\":1,\"identityVerification\":{\"verificationId\":\"iv\"}}",
        "missing required fields [method, level, verifiedAt] of IdentityVerification at identityVerification");
    assertMalformed(Topics.AUTHENTICATOR_EVENTS, "{\"type\":\"WorkerEvent\",\"record\":{}}",
        "type \"WorkerEvent\" is not carried on authn.authenticator-events.v1");
    assertMalformed(Topics.AUTHENTICATOR_EVENTS, "{\"eventId\":\"f-1\"}", "missing \"type\"");
  }

  @Test
  void refusesARecordWithABlankKey() throws Exception {
    SpecificRecord record = RecordLines.parse(Topics.HR_WORKER_EVENTS, "{\"eventId\":\"x\",\"eventTime\":1,"
        + "\"type\":\"LEAVER\",\"subjectId\":\" \",\"effectiveTime\":1}");

    assertThatThrownBy(() -> RecordLines.key(Topics.HR_WORKER_EVENTS, record))
        .isInstanceOf(RecordLines.MalformedLine.class).hasMessage("subjectId is blank: the record cannot be keyed");
  }

  private static void assertMalformed(TopicSpec<?> topic, String line, String message) {
    assertThatThrownBy(() -> RecordLines.parse(topic, line)).as(line)
        .isInstanceOf(RecordLines.MalformedLine.class).hasMessageContaining(message);
  }
}
