package io.authlifecycle.leaver;

import io.authlifecycle.core.testing.DecidedTypes;
import org.junit.jupiter.api.Test;

class LeaverDecidedTypesTest {

  @Test
  void skipsUnreadExactlyTheRecordsItsDecisionsIgnore() {
    DecidedTypes.assertSkipsExactlyWhatTheDecisionsIgnore(LeaverProcessor.INPUTS, LeaverProcessor.DECIDES, LeaverDecisions::concerns);
  }
}
