package io.authlifecycle.core.audit.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.runtime.CoHostedWorkers;
import org.junit.jupiter.api.Test;

/** Whose key speaks for whose chains: its own writer, its instances, and a co-host for the workers it hosts only. */
class WriterKeysVouchTest {

  @Test
  void aWritersKeySpeaksForItselfAndItsInstancesOnly() {
    assertThat(WriterKeys.vouchesFor("leaver-worker", "leaver-worker")).isTrue();
    assertThat(WriterKeys.vouchesFor("leaver-worker", "leaver-worker-0")).isTrue();
    assertThat(WriterKeys.vouchesFor("leaver-worker", "recovery-worker")).isFalse();
    assertThat(WriterKeys.vouchesFor("ocsf-feed", "idp-gateway")).isFalse();
  }

  @Test
  void theCoHostsKeySpeaksForTheWorkersItCanHostButNeverForTheGatewayOrTheIngest() {
    String host = CoHostedWorkers.DEFAULT_NAME;
    assertThat(WriterKeys.vouchesFor(host, "joiner-worker")).isTrue();
    assertThat(WriterKeys.vouchesFor(host, "recovery-worker")).isTrue();
    assertThat(WriterKeys.vouchesFor(host, "ocsf-feed")).isTrue();
    assertThat(WriterKeys.vouchesFor(host, "idp-gateway")).isFalse();
    assertThat(WriterKeys.vouchesFor(host, "lifecycle-ingest")).isFalse();
    assertThat(WriterKeys.vouchesFor(host, "lifecyclectl")).isFalse();
  }
}
