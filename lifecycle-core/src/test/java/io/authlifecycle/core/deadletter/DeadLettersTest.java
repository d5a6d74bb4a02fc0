package io.authlifecycle.core.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authlifecycle.avro.DeadLetter;
import io.authlifecycle.avro.DeadLetterKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

  private final DeadLetters letters = new DeadLetters(1_000, 300);
  private final DeadLetters.Source source = new DeadLetters.Source("hr.worker-events.v1", 2, 17, Instant.EPOCH);

  @Test
  void aRecordWithinTheLimitsIsCopiedWholeWithItsSizeAndHash() {
    byte[] value = "small".getBytes(StandardCharsets.UTF_8);

    DeadLetter letter = letters.letter(source, "alice".getBytes(StandardCharsets.UTF_8), value, DeadLetterKind.INVALID, "bad", "w", Instant.EPOCH);

    assertThat(letter.getTruncated()).isFalse();
    assertThat(letter.getValue().array()).isEqualTo(value);
    assertThat(letter.getValueSize()).isEqualTo(5);
    assertThat(letter.getValueSha256()).isEqualTo(DeadLetters.sha256(value));
    assertThat(letter.getEventId()).isEqualTo("hr.worker-events.v1:2:17");
  }

  @Test
  void aRecordOverTheLimitsKeepsItsFirstBytesAndTheErrorIsCutWithItsHash() {
    byte[] value = new byte[5_000];
    Arrays.fill(value, (byte) 7);
    byte[] key = "k".repeat(400).getBytes(StandardCharsets.UTF_8);

    DeadLetter letter = letters.letter(source, key, value, DeadLetterKind.TOO_LARGE, "e".repeat(2_000), "w", Instant.EPOCH);

    assertThat(letter.getTruncated()).isTrue();
    assertThat(letter.getValue().remaining()).isEqualTo(1_000);
    assertThat(letter.getKey().remaining()).isEqualTo(300);
    assertThat(letter.getValueSize()).isEqualTo(5_000);
    assertThat(letter.getKeySha256()).isEqualTo(DeadLetters.sha256(key));
    assertThat(letter.getError()).hasSizeLessThanOrEqualTo(300).contains("cut from 2000 characters");
    assertThat(letters.shortKey("k".repeat(400))).startsWith("k".repeat(64) + "…#").hasSize(64 + 2 + 16);
  }

  @Test
  void aTruncatedLetterIsNeverReplayedAsIfItWereTheRecord() {
    DeadLetter letter = letters.letter(source, null, new byte[5_000], DeadLetterKind.TOO_LARGE, "too large", "w", Instant.EPOCH);
    DeadLetterReplay replay = new DeadLetterReplay(Map.of("bootstrap.servers", "127.0.0.1:1"));

    assertThatThrownBy(() -> replay.replay(List.of(new DeadLetterReplay.Positioned(0, 3, letter)), "ops", "retry"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0:3").hasMessageContaining("cannot be replayed");
  }
}
