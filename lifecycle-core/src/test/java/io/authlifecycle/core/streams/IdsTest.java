package io.authlifecycle.core.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.avro.AuthenticatorBound;
import io.authlifecycle.avro.AuthenticatorCommand;
import io.authlifecycle.avro.WorkerEvent;
import io.authlifecycle.schemas.SampleRecords;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void anInputIsKeyedByItsTopicAndEventIdSoTheSameIdOnTwoTopicsIsTwoInputs() {
    WorkerEvent hr = WorkerEvent.newBuilder(SampleRecords.joiner("alice")).setEventId("ev-1").build();
    AuthenticatorBound fact = (AuthenticatorBound) SampleRecords.oneOfEach().stream()
        .filter(AuthenticatorBound.class::isInstance).findFirst().orElseThrow();
    fact.setEventId("ev-1");

    assertThat(Ids.inputKey(hr)).isEqualTo("hr.worker-events.v1/ev-1");
    assertThat(Ids.inputKey(fact)).isEqualTo("authn.authenticator-events.v1/ev-1");
    assertThat(Ids.inputKey("authn.commands.leaver.v1", hr)).isEqualTo("authn.commands.leaver.v1/ev-1");
  }

  @Test
  void aClassSeveralTopicsCarryNeedsTheTopicItWasReadFrom() {
    SpecificRecord command = SampleRecords.oneOfEach().stream().filter(AuthenticatorCommand.class::isInstance).findFirst().orElseThrow();

    assertThatThrownBy(() -> Ids.inputKey(command)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AuthenticatorCommand is carried by");
  }
}
