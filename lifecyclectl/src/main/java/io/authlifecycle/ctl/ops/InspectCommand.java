package io.authlifecycle.ctl.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code inspect --subject S}: one view of a subject across workers, from each worker's
 * {@code GET /subjects} (which answers from the instance owning the subject, wherever it runs).
 * A worker that cannot answer (the instance owning the subject unreachable, a rebalance under way)
 * is shown as an error with its reason and the exit code is 2: never an empty state passed off as one.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "One view of a subject across workers, a section per worker: HR state, factors, tickets, pending "
        + "timers with due times, open recoveries and approvals, as each worker holds them, with ISO-8601 times. "
        + "--json prints the workers' answers as one JSON document instead. Endpoints that could not be reached "
        + "are named. Exit 0: the workers reached answered; 2: a worker could not answer for the subject (its reason "
        + "is shown); 1: no worker answered.")
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

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "File holding the bearer token /subjects requires (default: http.query-token-file or http.query-token "
          + "as the workers read them, else the local stack's DATA_DIR/http/query-token).")
  Path tokenFile;

  /** The environment the workers' settings are read from; tests give their own. */
  Map<String, String> environment = System.getenv();

  @Option(names = "--json", description = "Print the machine form: {\"subjectId\", \"workers\": [...], \"unreachable\": [...]}.")
  boolean json;

  @Spec
  CommandSpec spec;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws InterruptedException {
    List<String> targets = new ArrayList<>(endpoints);
    if (targets.isEmpty()) {
      for (int i = 0; i < LOCAL_COMPONENTS; i++) {
        targets.add("http://127.0.0.1:" + (LOCAL_FIRST_PORT + i));
      }
    }
    Optional<String> token = QueryTokens.resolve(tokenFile, environment, endpoints.isEmpty());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    List<JsonNode> answers = new ArrayList<>();
    List<String> unreachable = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (String target : targets) {
      String url = target.replaceAll("/+$", "") + "/subjects?id=" + URLEncoder.encode(subject, StandardCharsets.UTF_8);
      try {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          answers.add(parse(target, response.body()));
        } else if (response.statusCode() != 404) {
          // 404: a component without per-subject state (the gateway, the OCSF feed) has no /subjects.
          String error = response.statusCode() != 401 ? reason(response.body()) : token.isEmpty()
              ? "refused: no query token (give --token-file, or set LIFECYCLE_HTTP_QUERY_TOKEN_FILE)" : "refused: wrong query token";
          answers.add(JSON.createObjectNode().put("worker", target).put("status", response.statusCode()).put("error", error));
          failed.add(target);
        }
      } catch (java.io.IOException e) {
        unreachable.add(target);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? InspectView.json(subject, answers, unreachable) + System.lineSeparator()
        : InspectView.text(subject, answers, unreachable));
    out.flush();
    if (!unreachable.isEmpty()) {
      spec.commandLine().getErr().println("not reached: " + String.join(", ", unreachable));
      spec.commandLine().getErr().flush();
    }
    for (JsonNode answer : answers) {
      if (answer.has("error")) {
        spec.commandLine().getErr().println("inspect: " + answer.path("worker").asText() + ": " + answer.get("error").asText());
      }
    }
    spec.commandLine().getErr().flush();
    if (!failed.isEmpty()) {
      return 2;
    }
    return answers.isEmpty() ? 1 : 0;
  }

  /** The {@code error} of a JSON error body, else the body itself. */
  private static String reason(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.hasNonNull("error") ? node.get("error").asText() : body;
    } catch (JsonProcessingException e) {
      return body;
    }
  }

  /** A worker's answer; one that is not JSON is kept as an error naming the endpoint. */
  private static JsonNode parse(String endpoint, String body) {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return JSON.createObjectNode().put("worker", endpoint).put("error", "answer is not JSON: " + e.getOriginalMessage());
    }
  }
}
