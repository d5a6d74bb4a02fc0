package io.authlifecycle.recovery;

import io.authlifecycle.core.testing.DecidedTypes;
import org.junit.jupiter.api.Test;

class RecoveryDecidedTypesTest {

  @Test
  void skipsUnreadExactlyTheRecordsItsDecisionsIgnore() {
    DecidedTypes.assertSkipsExactlyWhatTheDecisionsIgnore(RecoveryProcessor.INPUTS, RecoveryProcessor.DECIDES, RecoveryDecisions::concerns);
  }
}
