package io.authlifecycle.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientAuthTest {

  @TempDir
  Path dir;

  @Test
  void aTokenFromTheFileOrTheSettingNamesItsClientAndAnyOtherTokenNamesNone() throws Exception {
    Path file = Files.writeString(dir.resolve("tokens.properties"), "workday=wd-token-0123456789abcdef\n");
    ClientAuth auth = ClientAuth.of(Optional.of(file), List.of("intune:in-token-0123456789abcdef"));

    assertThat(auth.bearer("wd-token-0123456789abcdef")).hasValue(new ClientAuth.Client("workday", "bearer"));
    assertThat(auth.bearer("in-token-0123456789abcdef")).hasValue(new ClientAuth.Client("intune", "bearer"));
    assertThat(auth.bearer("wd-token-0123456789abcdeF")).isEmpty();
    assertThat(auth.bearer("")).isEmpty();
  }

  @Test
  void refusesAShortTokenAtStartNamingTheSetting() {
    assertThatThrownBy(() -> ClientAuth.of(Optional.empty(), List.of("hr:short")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ingest.tokens").hasMessageContaining("16 characters");
  }
}
