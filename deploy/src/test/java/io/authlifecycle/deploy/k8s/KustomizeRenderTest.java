package io.authlifecycle.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.authlifecycle.core.config.Setting;
import io.authlifecycle.core.config.Settings;
import io.authlifecycle.core.runtime.Launchable;
import io.authlifecycle.core.runtime.WorkerApp;
import io.authlifecycle.core.security.AccessPlan;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.resource.PatternType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each overlay rendered by {@code kubectl kustomize} (what {@code kubectl apply -k} applies), checked
 * against the registry, the access plan and the components on the class path.
 */
class KustomizeRenderTest {

  private static final Path OVERLAYS = Path.of("k8s", "overlays");

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyRegistryTopicIsAKafkaTopicAtReplicationThreeWithTwoInSync(String overlay) throws Exception {
    List<JsonNode> topics = kinds(render(overlay)).get("KafkaTopic");
    Set<String> rendered = topics.stream().map(t -> t.at("/spec/topicName").asText()).collect(Collectors.toCollection(TreeSet::new));
    Set<String> registry = Topics.allWithDeadLetters().stream().map(TopicSpec::name).collect(Collectors.toCollection(TreeSet::new));
    assertThat(rendered).isEqualTo(registry);
    assertThat(topics).allSatisfy(t -> {
      assertThat(t.at("/spec/replicas").asInt()).isEqualTo(3);
      assertThat(t.at("/spec/config/min.insync.replicas").asText()).isEqualTo("2");
      assertThat(t.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo(Manifests.CLUSTER);
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyPrincipalIsAKafkaUserWithExactlyTheGrantsOfTheAccessPlan(String overlay) throws Exception {
    AccessPlan plan = AccessPlan.standard(Manifests.APPLICATION_ID_PREFIX);
    Map<String, Set<String>> rendered = new TreeMap<>();
    for (JsonNode user : kinds(render(overlay)).get("KafkaUser")) {
      Set<String> acls = new HashSet<>();
      user.at("/spec/authorization/acls").forEach(a -> acls.add(a.at("/resource/type").asText() + " " + a.at("/resource/name").asText()
          + " " + a.at("/resource/patternType").asText() + " " + a.at("/operations/0").asText()));
      assertThat(user.at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
      rendered.put(user.at("/metadata/name").asText(), acls);
    }
    Map<String, Set<String>> planned = new TreeMap<>();
    plan.grants().forEach((principal, grants) -> planned.put(principal, grants.stream().map(g -> {
      boolean cluster = g.resource().name().equals("CLUSTER");
      String type = switch (g.resource()) {
        case TOPIC -> "topic";
        case GROUP -> "group";
        case TRANSACTIONAL_ID -> "transactionalId";
        default -> "cluster";
      };
      return type + " " + (cluster ? "" : g.name()) + " " + (cluster ? "" : g.pattern() == PatternType.PREFIXED ? "prefix" : "literal")
          + " " + Manifests.camel(g.operation().name());
    }).collect(Collectors.toSet())));
    assertThat(rendered).isEqualTo(planned);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyComponentOnTheClassPathRunsWithItsStateCredentialsTruststoreAndAdvertisedPodIp(String overlay) throws Exception {
    Map<String, List<JsonNode>> kinds = kinds(render(overlay));
    Map<String, JsonNode> workloads = new TreeMap<>();
    for (String kind : List.of("StatefulSet", "Deployment")) {
      kinds.getOrDefault(kind, List.of()).forEach(w -> workloads.put(w.at("/metadata/name").asText(), w));
    }
    Set<String> users = kinds.get("KafkaUser").stream().map(u -> u.at("/metadata/name").asText()).collect(Collectors.toSet());
    JsonNode config = kinds.get("ConfigMap").get(0).get("data");

    assertThat(workloads.keySet()).isEqualTo(new TreeSet<>(components().keySet()));
    for (Map.Entry<String, List<Setting<?>>> component : components().entrySet()) {
      String name = component.getKey();
      JsonNode w = workloads.get(name);
      boolean streams = workers().contains(name);
      JsonNode pod = w.at("/spec/template/spec");
      JsonNode container = pod.at("/containers/0");
      Map<String, JsonNode> env = env(container);

      assertThat(w.get("kind").asText()).as(name).isEqualTo(streams ? "StatefulSet" : "Deployment");
      assertThat(container.at("/args/0").asText()).isEqualTo(name);
      assertThat(env.get("LIFECYCLE_HTTP_ADVERTISED_HOST").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("status.podIP");
      assertThat(env.get("LIFECYCLE_KAFKA_SASL_JAAS_CONFIG").at("/valueFrom/secretKeyRef/name").asText()).as(name)
          .isEqualTo(name).isIn(users);
      assertThat(env.get("LIFECYCLE_KAFKA_SSL_TRUSTSTORE_PASSWORD").at("/valueFrom/secretKeyRef/name").asText())
          .isEqualTo(Workloads.CLUSTER_CA_SECRET);
      assertThat(mountOfSecret(pod, container, Workloads.CLUSTER_CA_SECRET) + "/ca.p12")
          .isEqualTo(config.get("LIFECYCLE_KAFKA_SSL_TRUSTSTORE_LOCATION").asText());
      assertThat(config.get("LIFECYCLE_KAFKA_SECURITY_PROTOCOL").asText()).isEqualTo("SASL_SSL");
      if (streams) {
        String stateMount = mountOf(container, w.at("/spec/volumeClaimTemplates/0/metadata/name").asText());
        assertThat(env.get("LIFECYCLE_STATE_DIR").get("value").asText()).as(name).startsWith(stateMount + "/");
        assertThat(w.at("/spec/volumeClaimTemplates/0/spec/accessModes/0").asText()).isEqualTo("ReadWriteOnce");
      }
      // Start-up: the topic check's 60 s, the JVM, and a restore (50.6 s for the mover at a million subjects).
      int startupBudget = container.at("/startupProbe/periodSeconds").asInt() * container.at("/startupProbe/failureThreshold").asInt();
      assertThat(startupBudget).as(name).isGreaterThanOrEqualTo(3 * (60 + 51));
      assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/ready");
      assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health");
      assertThat(container.at("/resources/requests/cpu").isMissingNode()).isFalse();
      assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("1536Mi");
      assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
      assertThat(mountOf(container, "tmp")).isEqualTo("/tmp");
      assertThat(everyLifecycleVariable(env, config)).as(name + ": every LIFECYCLE_* variable names a setting it reads")
          .allMatch(v -> known(v, component.getValue()));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theGatewaysAdapterIsNamedDryRunInDevKeycloakWithItsSecretInProd(String overlay) throws Exception {
    JsonNode gateway = kinds(render(overlay)).get("Deployment").stream()
        .filter(d -> d.at("/metadata/name").asText().equals("idp-gateway")).findFirst().orElseThrow();
    JsonNode container = gateway.at("/spec/template/spec/containers/0");
    String adapter = env(container).get("LIFECYCLE_GATEWAY_ADAPTER").get("value").asText();
    List<String> secretRefs = new ArrayList<>();
    container.get("envFrom").forEach(e -> secretRefs.add(e.at("/secretRef/name").asText("")));

    if (overlay.equals("dev")) {
      assertThat(adapter).isEqualTo("dry-run");
      assertThat(secretRefs).noneMatch(s -> s.contains("keycloak"));
    } else {
      assertThat(adapter).isEqualTo("keycloak");
      assertThat(secretRefs).contains("idp-gateway-keycloak");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theNetworkPolicyLetsBrokersOutPrometheusInAndTheQueryPortOnlyFromOperatorsAndInstances(String overlay) throws Exception {
    JsonNode policy = kinds(render(overlay)).get("NetworkPolicy").stream()
        .filter(p -> p.at("/metadata/name").asText().equals(Manifests.PART_OF + "-components")).findFirst().orElseThrow();
    JsonNode ingress = policy.at("/spec/ingress");
    JsonNode egress = policy.at("/spec/egress");

    assertThat(policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1part-of").asText()).isEqualTo(Manifests.PART_OF);
    assertThat(ingress).hasSize(2);
    assertThat(ingress.get(0).at("/ports/0/port").asInt()).isEqualTo(Workloads.HTTP_PORT);
    assertThat(ingress.get(0).at("/from/0/podSelector/matchLabels/app.kubernetes.io~1name").asText()).isEqualTo("prometheus");
    assertThat(ingress.get(1).at("/ports/0/port").asInt()).isEqualTo(Workloads.QUERY_PORT);
    assertThat(ingress.get(1).at("/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
        .isEqualTo(NetworkPolicies.OPERATORS_NAMESPACE);
    assertThat(ingress.get(1).at("/from/1/podSelector/matchLabels/app.kubernetes.io~1part-of").asText()).isEqualTo(Manifests.PART_OF);
    assertThat(egress.get(0).at("/to/0/podSelector/matchLabels/strimzi.io~1cluster").asText()).isEqualTo(Manifests.CLUSTER);
    assertThat(egress.get(0).at("/ports/0/port").asInt()).isEqualTo(NetworkPolicies.BROKER_PORT);
    assertThat(egress.get(1).at("/ports/0/port").asInt()).isEqualTo(53);
  }

  /** Renders the overlay and prints how many objects of each kind it holds. */
  static List<JsonNode> render(String overlay) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("kubectl", "kustomize", OVERLAYS.resolve(overlay).toString()).redirectErrorStream(false).start();
    } catch (IOException e) {
      fail("kubectl is needed to render the overlays (Debian: apt-get install kubernetes-client): " + e.getMessage());
      throw e;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl kustomize %s: %s", overlay, err).isZero();
    List<JsonNode> docs = Yaml.read(out);
    Map<String, Long> counts = docs.stream().collect(Collectors.groupingBy(d -> d.get("kind").asText(), TreeMap::new,
        Collectors.counting()));
    System.out.println("kubectl kustomize k8s/overlays/" + overlay + ": " + docs.size() + " objects " + counts);
    Files.writeString(Path.of("target", "k8s-" + overlay + ".yaml"), out);
    return docs;
  }

  private static Map<String, List<JsonNode>> kinds(List<JsonNode> docs) {
    Map<String, List<JsonNode>> byKind = new LinkedHashMap<>();
    docs.forEach(d -> byKind.computeIfAbsent(d.get("kind").asText(), k -> new ArrayList<>()).add(d));
    return byKind;
  }

  /** Every product component registered under META-INF/services on this class path, with every setting it reads. */
  private static Map<String, List<Setting<?>>> components() {
    Map<String, List<Setting<?>>> found = new TreeMap<>();
    ServiceLoader.load(WorkerApp.class).forEach(a -> {
      if (shipped(a)) {
        found.put(a.name(), WorkerContext.declared(a.settings()));
      }
    });
    ServiceLoader.load(Launchable.class).forEach(l -> {
      if (shipped(l)) {
        found.put(l.name(), WorkerContext.declared(l.settings()));
      }
    });
    return found;
  }

  private static Set<String> workers() {
    Set<String> names = new HashSet<>();
    ServiceLoader.load(WorkerApp.class).forEach(a -> names.add(a.name()));
    return names;
  }

  /** Not a test double such as the probe worker of lifecycle-core's test jar. */
  private static boolean shipped(Object component) {
    String location = component.getClass().getProtectionDomain().getCodeSource().getLocation().toString();
    return !location.contains("test-classes") && !location.endsWith("-tests.jar");
  }

  private static Map<String, JsonNode> env(JsonNode container) {
    Map<String, JsonNode> env = new LinkedHashMap<>();
    container.get("env").forEach(e -> env.put(e.get("name").asText(), e));
    return env;
  }

  private static Set<String> everyLifecycleVariable(Map<String, JsonNode> env, JsonNode config) {
    Set<String> names = new TreeSet<>(env.keySet());
    config.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** A setting the component declares, a Kafka client pass-through, or one the runtime reads itself. */
  private static boolean known(String variable, List<Setting<?>> declared) {
    return variable.startsWith(Settings.ENV_PREFIX + "KAFKA_") || variable.equals(Settings.CONFIG_FILE_ENV)
        || variable.equals("LIFECYCLE_LOG_LEVEL")
        || declared.stream().anyMatch(s -> s.environmentVariable().equals(variable));
  }

  private static String mountOf(JsonNode container, String volume) {
    for (JsonNode m : container.get("volumeMounts")) {
      if (m.get("name").asText().equals(volume)) {
        return m.get("mountPath").asText();
      }
    }
    return fail("no mount of volume " + volume);
  }

  private static String mountOfSecret(JsonNode pod, JsonNode container, String secret) {
    for (JsonNode v : pod.get("volumes")) {
      if (v.at("/secret/secretName").asText().equals(secret)) {
        return mountOf(container, v.get("name").asText());
      }
    }
    return fail("no volume of secret " + secret);
  }
}
