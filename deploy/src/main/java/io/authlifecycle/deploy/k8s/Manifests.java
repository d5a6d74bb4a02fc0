package io.authlifecycle.deploy.k8s;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authlifecycle.core.security.AccessPlan;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.resource.PatternType;

/**
 * The Kustomize base in {@code deploy/k8s/base}, generated from the topic registry and the access
 * plan so a topic or ACL added in code cannot be forgotten in the cluster: Strimzi {@code KafkaTopic}
 * and {@code KafkaUser} resources, the shared ConfigMap, a StatefulSet (or, for the gateway, a
 * Deployment) per component ({@link Workloads}), and the network policies ({@link NetworkPolicies}).
 * The overlays in {@code deploy/k8s/overlays} are written by hand.
 *
 * <p>Regenerate: {@code mvn -q -B -pl deploy -am test -Dtest=ManifestsTest -Dsurefire.failIfNoSpecifiedTests=false -Dk8s.regenerate=true}
 * ({@code ManifestsTest} fails when the checked-in files differ from what this class writes).
 */
public final class Manifests {

  public static final String CLUSTER = "authn-lifecycle";
  public static final String NAMESPACE = "authn-lifecycle";
  public static final String PART_OF = "authn-lifecycle";
  /** What the runtime module's Jib build tags; an overlay points it at the operators' registry. */
  public static final String IMAGE = "authn-lifecycle:0.1.0-SNAPSHOT";
  public static final String CONFIG_MAP = "authn-lifecycle-config";
  /** Every component the base runs, in order. */
  public static final List<String> COMPONENTS = Workloads.COMPONENTS.stream().map(Workloads.Component::name).toList();
  static final String APPLICATION_ID_PREFIX = "authn-lifecycle";

  private Manifests() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "deploy/k8s/base");
    Files.createDirectories(dir);
    for (Map.Entry<String, String> file : all().entrySet()) {
      Files.writeString(dir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
    }
    System.out.println("wrote " + all().keySet() + " to " + dir);
  }

  /** File name → content of the base. */
  public static Map<String, String> all() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("kustomization.yaml", kustomization(List.of("config.yaml", "topics.yaml", "users.yaml", "workers.yaml",
        "network-policies.yaml")));
    files.put("config.yaml", Yaml.documents(header("The settings every component shares (LIFECYCLE_* variables)"), List.of(config())));
    files.put("topics.yaml", Yaml.documents(header("Strimzi KafkaTopic per registry topic and dead-letter topic"), topics()));
    files.put("users.yaml", Yaml.documents(header("Strimzi KafkaUser per principal, with exactly the ACLs of AccessPlan"),
        users(AccessPlan.standard(APPLICATION_ID_PREFIX))));
    files.put("workers.yaml", Yaml.documents(header("A StatefulSet (the gateway: a Deployment), Service and PodDisruptionBudget "
        + "per component"), Workloads.all()));
    files.put("network-policies.yaml", Yaml.documents(header("Brokers and DNS out, Prometheus in to the metrics port, the query port "
        + "from the operators' namespace and between instances"), NetworkPolicies.all()));
    return files;
  }

  static String kustomization(List<String> resources) {
    ObjectNode k = Yaml.map().put("apiVersion", "kustomize.config.k8s.io/v1beta1").put("kind", "Kustomization");
    k.put("namespace", NAMESPACE);
    ArrayNode list = k.putArray("resources");
    resources.forEach(list::add);
    return Yaml.documents(header("The base every overlay builds on (kubectl apply -k deploy/k8s/overlays/prod)"), List.of(k));
  }

  /** Settings every component shares; what differs per component or environment is set on the pod or in an overlay. */
  static ObjectNode config() {
    ObjectNode cm = Yaml.object("v1", "ConfigMap", CONFIG_MAP);
    labels(cm, null);
    cm.putObject("data")
        .put("LIFECYCLE_BOOTSTRAP_SERVERS", CLUSTER + "-kafka-bootstrap:9093")
        .put("LIFECYCLE_APPLICATION_ID_PREFIX", APPLICATION_ID_PREFIX)
        .put("LIFECYCLE_NUM_STANDBY_REPLICAS", "1")
        .put("LIFECYCLE_HTTP_HOST", "0.0.0.0")
        .put("LIFECYCLE_HTTP_PORT", String.valueOf(Workloads.HTTP_PORT))
        .put("LIFECYCLE_HTTP_QUERY_PORT", String.valueOf(Workloads.QUERY_PORT))
        .put("LIFECYCLE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
        .put("LIFECYCLE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
        .put("LIFECYCLE_KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12")
        .put("LIFECYCLE_KAFKA_SSL_TRUSTSTORE_LOCATION", Workloads.CLUSTER_CA_MOUNT + "/ca.p12");
    return cm;
  }

  static List<ObjectNode> topics() {
    List<ObjectNode> docs = new ArrayList<>();
    for (TopicSpec<?> topic : Topics.allWithDeadLetters()) {
      boolean audit = topic.name().startsWith("audit.");
      boolean deadLetters = topic.name().endsWith(Topics.DLQ_SUFFIX);
      String retention = audit ? "34560000000" : deadLetters ? "2592000000" : "604800000";
      ObjectNode t = Yaml.object("kafka.strimzi.io/v1beta2", "KafkaTopic", topic.name());
      Yaml.metadata(t).putObject("labels").put("strimzi.io/cluster", CLUSTER);
      ObjectNode spec = t.putObject("spec").put("topicName", topic.name()).put("partitions", 6).put("replicas", 3);
      ObjectNode config = spec.putObject("config").put("min.insync.replicas", "2").put("retention.ms", retention);
      topic.configs().forEach(config::put);
      docs.add(t);
    }
    return docs;
  }

  static List<ObjectNode> users(AccessPlan plan) {
    List<ObjectNode> docs = new ArrayList<>();
    plan.grants().forEach((principal, grants) -> {
      ObjectNode u = Yaml.object("kafka.strimzi.io/v1beta2", "KafkaUser", principal);
      Yaml.metadata(u).putObject("labels").put("strimzi.io/cluster", CLUSTER);
      ObjectNode spec = u.putObject("spec");
      spec.putObject("authentication").put("type", "scram-sha-512");
      ObjectNode authz = spec.putObject("authorization").put("type", "simple");
      ArrayNode acls = authz.putArray("acls");
      for (AccessPlan.Grant g : grants) {
        ObjectNode acl = acls.addObject();
        ObjectNode resource = acl.putObject("resource").put("type", resourceType(g));
        if (!g.resource().name().equals("CLUSTER")) {
          resource.put("name", g.name()).put("patternType", g.pattern() == PatternType.PREFIXED ? "prefix" : "literal");
        }
        acl.putArray("operations").add(camel(g.operation().name()));
        acl.put("host", "*");
      }
      docs.add(u);
    });
    return docs;
  }

  /** The labels every object of the product carries; {@code component} null for shared objects. */
  static ObjectNode labels(ObjectNode object, String component) {
    ObjectNode labels = Yaml.metadata(object).putObject("labels");
    if (component != null) {
      labels.put("app.kubernetes.io/name", component);
    }
    return labels.put("app.kubernetes.io/part-of", PART_OF);
  }

  private static String header(String what) {
    return "# " + what + ".\n# Generated by io.authlifecycle.deploy.k8s.Manifests from the topic registry and AccessPlan; do not edit by hand.\n";
  }

  private static String resourceType(AccessPlan.Grant g) {
    switch (g.resource()) {
      case TOPIC: return "topic";
      case GROUP: return "group";
      case TRANSACTIONAL_ID: return "transactionalId";
      default: return "cluster";
    }
  }

  /** IDEMPOTENT_WRITE → IdempotentWrite, as Strimzi spells operations. */
  static String camel(String op) {
    StringBuilder out = new StringBuilder();
    for (String part : op.toLowerCase(Locale.ROOT).split("_")) {
      out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.toString();
  }
}
