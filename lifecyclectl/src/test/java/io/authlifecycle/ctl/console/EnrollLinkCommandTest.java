package io.authlifecycle.ctl.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.authlifecycle.core.approvals.EnrollLinks;
import io.authlifecycle.core.approvals.Person;
import io.authlifecycle.core.approvals.Role;
import io.authlifecycle.ctl.LifecycleCtl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EnrollLinkCommandTest {

  private static final String SECRET = "a-console-enrollment-secret-of-32-chars+";

  @Test
  void printsASingleUseLinkTheConsoleAccepts(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), SECRET + "\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = LifecycleCtl.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int code = cli.execute("console", "enroll-link", "--person", "ap-1", "--hr-subject", "E1001", "--roles", "APPROVER",
        "--console-url", "https://console.example.test/", "--secret-file", secret.toString(), "--valid-for", "PT2H");

    assertThat(code).as(err.toString()).isZero();
    URI link = URI.create(out.toString().strip());
    assertThat(link.getPath()).isEqualTo("/enroll");
    String token = URLDecoder.decode(link.getRawQuery().substring("token=".length()), StandardCharsets.UTF_8);
    EnrollLinks.Grant grant = EnrollLinks.verify(SECRET, token, Instant.now());
    assertThat(grant.person()).isEqualTo(new Person("ap-1", "E1001"));
    assertThat(grant.roles()).containsExactly(Role.APPROVER);
    assertThat(grant.expires()).isBetween(Instant.now().plusSeconds(7100), Instant.now().plusSeconds(7201));
  }

  @Test
  void refusesAShortSecret(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "short");
    StringWriter err = new StringWriter();
    CommandLine cli = LifecycleCtl.commandLine();
    cli.setErr(new PrintWriter(err, true));

    int code = cli.execute("console", "enroll-link", "--person", "ap-1", "--hr-subject", "E1001", "--roles", "APPROVER",
        "--console-url", "https://console.example.test", "--secret-file", secret.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("at least 32 characters");
  }
}
