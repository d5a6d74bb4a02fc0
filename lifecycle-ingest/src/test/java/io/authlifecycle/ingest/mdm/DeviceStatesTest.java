package io.authlifecycle.ingest.mdm;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.avro.DeviceEventType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DeviceStatesTest {

  @Test
  void takesEveryProductStateInAnyCaseButNotUnknown() {
    for (DeviceEventType type : DeviceEventType.values()) {
      if (type != DeviceEventType.UNKNOWN) {
        assertThat(DeviceStates.parse(type.name().toLowerCase(java.util.Locale.ROOT))).hasValue(type);
      }
    }
    assertThat(DeviceStates.parse("UNKNOWN")).isEmpty();
    assertThat(DeviceStates.parse("misplaced")).isEmpty();
  }

  @Test
  void theReadmeTableListsEveryIntuneAndJamfNameWithTheStateItMeans() throws Exception {
    String readme = Files.readString(Path.of("README.md"));

    assertThat(DeviceStates.aliases()).isNotEmpty();
    DeviceStates.aliases().forEach((alias, type) -> {
      assertThat(DeviceStates.parse(alias.toUpperCase(java.util.Locale.ROOT))).hasValue(type);
      assertThat(readme.toLowerCase(java.util.Locale.ROOT)).as(alias).contains("| `" + alias + "` | " + type.name().toLowerCase(java.util.Locale.ROOT) + " |");
    });
  }
}
