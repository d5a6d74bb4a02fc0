package io.authlifecycle.deploy.k8s;

import io.authlifecycle.core.security.AccessPlan;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.resource.PatternType;

/**
 * Kubernetes manifests generated from the topic registry and the access plan, so a topic or ACL
 * added in code cannot be forgotten in the cluster: Strimzi {@code KafkaTopic} and {@code KafkaUser}
 * resources, and a Deployment, Service and PodDisruptionBudget per component.
 *
 * <p>Regenerate: {@code mvn -q -pl deploy -am compile exec:java -Dexec.mainClass=io.authlifecycle.deploy.k8s.Manifests -Dexec.args=deploy/k8s}
 * (a test fails when the checked-in files differ from what this class writes).
 */
public final class Manifests {

  public static final String CLUSTER = "authn-lifecycle";
  public static final String NAMESPACE = "authn-lifecycle";
  public static final String IMAGE = "authn-lifecycle:0.1.0";
  /** Components run as Deployments: the Streams workers and the IdP gateway. */
  public static final List<String> COMPONENTS = List.of("joiner-worker", "mover-worker", "leaver-worker",
      "recovery-worker", "ocsf-feed", "idp-gateway");
  private static final String APPLICATION_ID_PREFIX = "authn-lifecycle";

  private Manifests() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "deploy/k8s");
    Files.createDirectories(dir);
    for (Map.Entry<String, String> file : all().entrySet()) {
      Files.writeString(dir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
    }
    System.out.println("wrote " + all().keySet() + " to " + dir);
  }

  /** File name → content. */
  public static Map<String, String> all() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("topics.yaml", topics());
    files.put("users.yaml", users(AccessPlan.standard(APPLICATION_ID_PREFIX)));
    files.put("workers.yaml", workers());
    return files;
  }

  static String topics() {
    StringBuilder y = new StringBuilder(header("Strimzi KafkaTopic per registry topic and dead-letter topic"));
    for (TopicSpec<?> topic : Topics.allWithDeadLetters()) {
      boolean audit = topic.name().startsWith("audit.");
      boolean deadLetters = topic.name().endsWith(Topics.DLQ_SUFFIX);
      String retention = audit ? "34560000000" : deadLetters ? "2592000000" : "604800000";
      y.append("---\n")
          .append("apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n")
          .append("  name: ").append(topic.name()).append('\n')
          .append("  namespace: ").append(NAMESPACE).append('\n')
          .append("  labels:\n    strimzi.io/cluster: ").append(CLUSTER).append('\n')
          .append("spec:\n  topicName: ").append(topic.name()).append('\n')
          .append("  partitions: 6\n  replicas: 3\n  config:\n")
          .append("    min.insync.replicas: \"2\"\n")
          .append("    retention.ms: \"").append(retention).append("\"\n");
      topic.configs().forEach((key, value) -> y.append("    ").append(key).append(": \"").append(value).append("\"\n"));
    }
    return y.toString();
  }

  static String users(AccessPlan plan) {
    StringBuilder y = new StringBuilder(header("Strimzi KafkaUser per principal, with exactly the ACLs of AccessPlan"));
    plan.grants().forEach((principal, grants) -> {
      y.append("---\n")
          .append("apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaUser\nmetadata:\n")
          .append("  name: ").append(principal).append('\n')
          .append("  namespace: ").append(NAMESPACE).append('\n')
          .append("  labels:\n    strimzi.io/cluster: ").append(CLUSTER).append('\n')
          .append("spec:\n  authentication:\n    type: scram-sha-512\n  authorization:\n    type: simple\n    acls:\n");
      for (AccessPlan.Grant g : grants) {
        y.append("      - resource:\n")
            .append("          type: ").append(resourceType(g)).append('\n');
        if (!g.resource().name().equals("CLUSTER")) {
          y.append("          name: ").append(g.name()).append('\n')
              .append("          patternType: ").append(g.pattern() == PatternType.PREFIXED ? "prefix" : "literal").append('\n');
        }
        y.append("        operations: [").append(camel(g.operation().name())).append("]\n")
            .append("        host: \"*\"\n");
      }
    });
    return y.toString();
  }

  static String workers() {
    StringBuilder y = new StringBuilder(header("A Deployment, Service and PodDisruptionBudget per component; config from ConfigMap and Secret"));
    y.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: authn-lifecycle-config\n  namespace: ").append(NAMESPACE).append('\n')
        .append("data:\n")
        .append("  LIFECYCLE_BOOTSTRAP_SERVERS: \"").append(CLUSTER).append("-kafka-bootstrap:9093\"\n")
        .append("  LIFECYCLE_NUM_STANDBY_REPLICAS: \"1\"\n")
        .append("  LIFECYCLE_STATE_DIR: \"/var/lib/authn-lifecycle/state\"\n")
        .append("  LIFECYCLE_HTTP_HOST: \"0.0.0.0\"\n")
        .append("  LIFECYCLE_HTTP_PORT: \"8080\"\n")
        .append("  LIFECYCLE_KAFKA_SECURITY_PROTOCOL: \"SASL_SSL\"\n")
        .append("  LIFECYCLE_KAFKA_SASL_MECHANISM: \"SCRAM-SHA-512\"\n");
    for (String component : COMPONENTS) {
      y.append("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ").append(component)
          .append("\n  namespace: ").append(NAMESPACE).append("\n  labels:\n    app: ").append(component).append('\n')
          .append("spec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: ").append(component).append('\n')
          .append("  template:\n    metadata:\n      labels:\n        app: ").append(component).append('\n')
          .append("      annotations:\n        prometheus.io/scrape: \"true\"\n        prometheus.io/path: /metrics\n        prometheus.io/port: \"8080\"\n")
          .append("    spec:\n      terminationGracePeriodSeconds: 45\n      containers:\n        - name: ").append(component).append('\n')
          .append("          image: ").append(IMAGE).append('\n')
          .append("          args: [\"").append(component).append("\"]\n")
          .append("          ports:\n            - name: http\n              containerPort: 8080\n")
          .append("          envFrom:\n            - configMapRef:\n                name: authn-lifecycle-config\n")
          .append("          env:\n")
          .append("            - name: LIFECYCLE_KAFKA_SASL_JAAS_CONFIG\n              valueFrom:\n                secretKeyRef:\n")
          .append("                  name: ").append(component).append("\n                  key: sasl.jaas.config\n")
          .append("          livenessProbe:\n            httpGet:\n              path: /health\n              port: http\n            initialDelaySeconds: 30\n            periodSeconds: 10\n")
          .append("          readinessProbe:\n            httpGet:\n              path: /ready\n              port: http\n            periodSeconds: 5\n")
          .append("          resources:\n            requests:\n              cpu: 250m\n              memory: 512Mi\n            limits:\n              memory: 1Gi\n")
          .append("          volumeMounts:\n            - name: state\n              mountPath: /var/lib/authn-lifecycle/state\n")
          .append("      volumes:\n        - name: state\n          emptyDir: {}\n")
          .append("---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ").append(component)
          .append("\n  namespace: ").append(NAMESPACE).append("\nspec:\n  selector:\n    app: ").append(component)
          .append("\n  ports:\n    - name: http\n      port: 8080\n      targetPort: http\n")
          .append("---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: ").append(component)
          .append("\n  namespace: ").append(NAMESPACE).append("\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: ")
          .append(component).append('\n');
    }
    return y.toString();
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
  private static String camel(String op) {
    StringBuilder out = new StringBuilder();
    for (String part : op.toLowerCase(Locale.ROOT).split("_")) {
      out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.toString();
  }
}
