package io.authlifecycle.ctl.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
 * A worker that cannot answer (its owning instance unreachable, a rebalance under way) is listed
 * under {@code failures} with the reason and the exit code is 2: never an empty state passed off as one.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "One JSON view of a subject across workers: HR state, factors, tickets, pending timers with due "
        + "times, open recoveries and approvals, as each worker holds them. Exit 0: every worker asked answered; "
        + "2: some could not (listed under failures and on stderr); 1: none answered.")
public final class InspectCommand implements Callable<Integer> {

  /** The local stack gives workers ports from 8081 in name order. */
  static final int LOCAL_FIRST_PORT = 8081;
  static final int LOCAL_COMPONENTS = 8;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--subject", required = true, paramLabel = "S")
  String subject;

  @Option(names = "--endpoint", paramLabel = "URL", split = ",",
      description = "Worker HTTP endpoints to ask (any instance of each worker); default: the local stack's, "
          + "http://127.0.0.1:8081 to :8088.")
  List<String> endpoints = new ArrayList<>();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException, IOException {
    boolean probingLocalStack = endpoints.isEmpty();
    List<String> targets = new ArrayList<>(endpoints);
    if (probingLocalStack) {
      for (int i = 0; i < LOCAL_COMPONENTS; i++) {
        targets.add("http://127.0.0.1:" + (LOCAL_FIRST_PORT + i));
      }
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    ObjectNode view = JSON.createObjectNode().put("subjectId", subject);
    ArrayNode workers = view.putArray("workers");
    ArrayNode failures = view.putArray("failures");
    for (String target : targets) {
      String url = target.replaceAll("/+$", "") + "/subjects?id=" + URLEncoder.encode(subject, StandardCharsets.UTF_8);
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          workers.add(JSON.readTree(response.body()));
        } else if (response.statusCode() != 404) {
          // 404: a component without per-subject state (the gateway, the OCSF feed) has no /subjects.
          failures.addObject().put("endpoint", target).put("status", response.statusCode()).put("error", reason(response.body()));
        }
      } catch (IOException e) {
        if (!probingLocalStack) {
          failures.addObject().put("endpoint", target).put("error", "unreachable: "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(JSON.writeValueAsString(view));
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    for (JsonNode failure : failures) {
      err.println("inspect: " + failure.get("endpoint").asText() + ": " + failure.get("error").asText());
    }
    err.flush();
    if (!failures.isEmpty()) {
      return 2;
    }
    return workers.isEmpty() ? 1 : 0;
  }

  /** The {@code error} of a JSON error body, else the body itself. */
  private static String reason(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.hasNonNull("error") ? node.get("error").asText() : body;
    } catch (IOException e) {
      return body;
    }
  }
}
