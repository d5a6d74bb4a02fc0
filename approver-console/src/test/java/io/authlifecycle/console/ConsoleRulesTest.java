package io.authlifecycle.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.testing.ReadmeSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The console's rules that need no browser: the idle timeout, single-use ceremonies, escaping, the documented settings. */
class ConsoleRulesTest {

  private Instant now = Instant.parse("2026-11-30T10:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  @Test
  void aSessionEndsAfterTheIdleTimeoutAndEachRequestExtendsIt() {
    Sessions sessions = new Sessions(clock, Duration.ofMinutes(10));
    Sessions.Session s = sessions.open(new Person("ap-1", "E1001"));

    now = now.plus(Duration.ofMinutes(9));
    assertThat(sessions.find(s.id)).isPresent();
    now = now.plus(Duration.ofMinutes(9));
    assertThat(sessions.find(s.id)).as("9 minutes after the last request").isPresent();
    now = now.plus(Duration.ofMinutes(10).plusSeconds(1));
    assertThat(sessions.find(s.id)).isEmpty();
    now = now.minus(Duration.ofMinutes(5));
    assertThat(sessions.find(s.id)).as("an ended session stays ended").isEmpty();
    assertThat(s.csrf).isNotEqualTo(s.id).hasSizeGreaterThan(40);
  }

  @Test
  void aCeremonyIsTakenOnceAndNotAfterItExpires() {
    Sessions sessions = new Sessions(clock, Duration.ofMinutes(10));
    Sessions.Ceremony once = sessions.start(new byte[] {1}, null, null, null, null);
    Sessions.Ceremony late = sessions.start(new byte[] {2}, null, null, null, null);

    assertThat(sessions.take(once.id())).isPresent();
    assertThat(sessions.take(once.id())).isEmpty();
    now = now.plus(Sessions.CEREMONY_TTL).plusSeconds(1);
    assertThat(sessions.take(late.id())).isEmpty();
  }

  @Test
  void pagesEscapeWhatTheyShow() {
    assertThat(Pages.esc("<script>alert('x')</script>&\"")).isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;");
    assertThat(Pages.signIn()).doesNotContain("<script>").contains("<script src=\"/static/console.js\" defer></script>");
  }

  @Test
  void anEnrollmentThatWouldBreakTheRegistryIsRefusedBeforeItIsKept() {
    io.authlifecycle.core.testing.SoftPasskey first = new io.authlifecycle.core.testing.SoftPasskey();
    io.authlifecycle.core.testing.SoftPasskey second = new io.authlifecycle.core.testing.SoftPasskey();
    java.util.List<String> personKeys = java.util.List.of(first.entry(new Person("ap-1", "E1001"),
        java.util.Set.of(io.authlifecycle.core.approvals.Role.APPROVER)));

    assertThat(ConsoleServer.unregistrable(personKeys, java.util.List.of(), second.entry(new Person("ap-2", "E1002"),
        java.util.Set.of(io.authlifecycle.core.approvals.Role.APPROVER)))).isEmpty();
    // ap-1 enrolled through a link naming another HR subject than person.keys does.
    assertThat(ConsoleServer.unregistrable(personKeys, java.util.List.of(), second.entry(new Person("ap-1", "E9999"),
        java.util.Set.of(io.authlifecycle.core.approvals.Role.APPROVER)))).hasValueSatisfying(why ->
            assertThat(why).contains("already registered with HR subject E1001"));
  }

  @Test
  void readmeListsTheSettingsAsDeclared() {
    ReadmeSettings.assertDocumented("README.md", ConsoleSettings.ALL);
  }
}
