package io.authlifecycle.ctl.ops;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code inspect --subject S}: one view of a subject across workers, from each worker's
 * {@code GET /subjects} (which answers from the instance owning the subject, wherever it runs).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "One JSON view of a subject across workers: HR state, factors, tickets, pending timers with due "
        + "times, open recoveries and approvals, as each worker holds them.")
public final class InspectCommand implements Callable<Integer> {

  /** The local stack gives workers ports from 8081 in name order. */
  static final int LOCAL_FIRST_PORT = 8081;
  static final int LOCAL_COMPONENTS = 8;

  @Option(names = "--subject", required = true, paramLabel = "S")
  String subject;

  @Option(names = "--endpoint", paramLabel = "URL", split = ",",
      description = "Worker HTTP endpoints to ask (any instance of each worker); default: the local stack's, "
          + "http://127.0.0.1:8081 to :8088.")
  List<String> endpoints = new ArrayList<>();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    List<String> targets = new ArrayList<>(endpoints);
    if (targets.isEmpty()) {
      for (int i = 0; i < LOCAL_COMPONENTS; i++) {
        targets.add("http://127.0.0.1:" + (LOCAL_FIRST_PORT + i));
      }
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    StringBuilder json = new StringBuilder("{\"subjectId\":\"").append(subject.replace("\"", "\\\"")).append("\",\"workers\":[");
    int answered = 0;
    List<String> unreachable = new ArrayList<>();
    for (String target : targets) {
      String url = target.replaceAll("/+$", "") + "/subjects?id=" + URLEncoder.encode(subject, StandardCharsets.UTF_8);
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          json.append(answered++ == 0 ? "" : ",").append(response.body());
        }
      } catch (java.io.IOException e) {
        unreachable.add(target);
      }
    }
    json.append("]}");
    PrintWriter out = spec.commandLine().getOut();
    out.println(json);
    out.flush();
    if (!endpoints.isEmpty() && !unreachable.isEmpty()) {
      spec.commandLine().getErr().println("unreachable: " + String.join(", ", unreachable));
      spec.commandLine().getErr().flush();
    }
    return answered > 0 ? 0 : 1;
  }
}
