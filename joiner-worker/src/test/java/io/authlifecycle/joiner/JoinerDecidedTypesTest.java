package io.authlifecycle.joiner;

import io.authlifecycle.core.testing.DecidedTypes;
import org.junit.jupiter.api.Test;

class JoinerDecidedTypesTest {

  @Test
  void skipsUnreadExactlyTheRecordsItsDecisionsIgnore() {
    DecidedTypes.assertSkipsExactlyWhatTheDecisionsIgnore(JoinerProcessor.INPUTS, JoinerProcessor.DECIDES, JoinerDecisions::concerns);
  }
}
