package io.authlifecycle.core.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.core.deadletter.DeadLetters;
import io.authlifecycle.schemas.AvroSerde;
import io.authlifecycle.schemas.SampleRecords;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class OutputLimitsTest {

  private final OutputLimits limits = new OutputLimits(16_384, 1_024);

  @Test
  void aRecordWithinTheLimitsPassesUntouched() {
    for (SpecificRecord record : SampleRecords.oneOfEach()) {
      assertThat(limits.fit(record)).as(record.getSchema().getName()).isSameAs(record);
    }
  }

  @Test
  void aTextFieldOverTheFieldLimitIsCutToItsFirstCharactersWithTheOriginalsLengthAndHash() {
    String reason = "r".repeat(50_000);
    AuthenticatorCommand command = command(reason);

    AuthenticatorCommand fitted = limits.fit(command);

    assertThat(fitted).isNotSameAs(command);
    assertThat(command.getReason()).hasSize(50_000);
    assertThat(fitted.getReason()).hasSizeLessThanOrEqualTo(1_024).startsWith("rrrr")
        .endsWith("[cut from 50000 characters, sha256 " + DeadLetters.sha256(reason.getBytes(StandardCharsets.UTF_8)) + "]");
    assertThat(fitted.getSubjectId()).isEqualTo(command.getSubjectId());
    assertThat(AvroSerde.of(AuthenticatorCommand.class).encode(fitted).length).isLessThanOrEqualTo(16_384);
  }

  @Test
  void aRecordOverTheSizeLimitThroughManyShortFieldsIsCutUntilItFits() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      ids.add("approver-" + i);
    }
    ApprovalRequested sample = (ApprovalRequested) SampleRecords.oneOfEach().stream()
        .filter(ApprovalRequested.class::isInstance).findFirst().orElseThrow();
    ApprovalRequested request = ApprovalRequested.newBuilder(sample).setIneligibleApprovers(ids).build();

    ApprovalRequested fitted = limits.fit(request);

    assertThat(AvroSerde.of(ApprovalRequested.class).encode(fitted).length).isLessThanOrEqualTo(16_384);
    assertThat(fitted.getIneligibleApprovers()).isNotEmpty().isEqualTo(ids.subList(0, fitted.getIneligibleApprovers().size()));
    assertThat(fitted.getRequestId()).isEqualTo(request.getRequestId());
  }

  private static AuthenticatorCommand command(String reason) {
    AuthenticatorCommand sample = (AuthenticatorCommand) SampleRecords.oneOfEach().stream()
        .filter(AuthenticatorCommand.class::isInstance).findFirst().orElseThrow();
    return AuthenticatorCommand.newBuilder(sample).setReason(reason).build();
  }
}
