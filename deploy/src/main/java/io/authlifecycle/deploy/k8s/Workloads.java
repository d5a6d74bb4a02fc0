package io.authlifecycle.deploy.k8s;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod spec per component on the runtime image: the Streams workers as StatefulSets with a
 * persistent volume each for their state (a reschedule keeps it, so no full restore from the
 * changelogs), the gateway (no local state) as a Deployment, the ingest as a single-instance
 * Deployment (its fixed transactional id fences a second one) behind a Service for the HR systems
 * and MDMs; every pod with its own SCRAM credentials, the Strimzi cluster CA as truststore, its pod
 * IP advertised for interactive queries, its audit checkpoint key and the query token from Secrets,
 * probes sized to a restore, and requests from the benchmark.
 */
final class Workloads {

  static final int HTTP_PORT = 8080;
  static final int QUERY_PORT = 8081;
  static final String STATE_MOUNT = "/var/lib/authn-lifecycle";
  static final String CLUSTER_CA_MOUNT = "/etc/authn-lifecycle/cluster-ca";
  static final String CLUSTER_CA_SECRET = Manifests.CLUSTER + "-cluster-ca-cert";

  /**
   * One component and its CPU request. The README's benchmark (5,000 events/s, 100,000 subjects)
   * ran all five workers in one 1 GB heap (889 MB at most) on 0.93 cores, the mover's stream thread
   * 78 % busy, the joiner's 55 %, the recovery's 43 %, the leaver's 38 %: each pod gets a 1,152 MiB
   * heap (75 % of its 1.5 GiB limit, the rest for RocksDB), the mover a core, the others half or a quarter.
   */
  record Component(String name, Kind kind, String cpu) {
    boolean streams() {
      return kind == Kind.STREAMS;
    }
  }

  /** How a component runs: a Streams worker with local state, the gateway, the ingest API, the approver console. */
  enum Kind { STREAMS, GATEWAY, INGEST, CONSOLE }

  static final List<Component> COMPONENTS = List.of(
      new Component("joiner-worker", Kind.STREAMS, "500m"),
      new Component("mover-worker", Kind.STREAMS, "1"),
      new Component("leaver-worker", Kind.STREAMS, "500m"),
      new Component("recovery-worker", Kind.STREAMS, "500m"),
      new Component("ocsf-feed", Kind.STREAMS, "250m"),
      new Component("idp-gateway", Kind.GATEWAY, "250m"),
      new Component("lifecycle-ingest", Kind.INGEST, "250m"),
      new Component("approver-console", Kind.CONSOLE, "250m"));

  /** The ingest's bearer tokens ({@code client-id=token} lines), a Secret the operators create. */
  static final String INGEST_TOKENS_SECRET = "lifecycle-ingest-tokens";
  static final String INGEST_TOKENS_MOUNT = "/etc/authn-lifecycle/ingest";
  /** The console's enrollment secret ({@code secret} key), a Secret the operators create; its data on a volume of its own. */
  static final String CONSOLE_ENROLL_SECRET = "approver-console-enroll";
  static final String CONSOLE_STATE_CLAIM = "approver-console-state";

  /** The bearer token of the query routes, one for every component: a Secret the operators create (key {@code token}). */
  static final String QUERY_TOKEN_SECRET = Manifests.CLUSTER + "-query-token";
  static final String QUERY_TOKEN_MOUNT = "/etc/authn-lifecycle/query";
  /** Each component's audit checkpoint signing key: a Secret {@code <component>-audit-key} (key {@code audit.key}). */
  static final String AUDIT_KEY_MOUNT = "/etc/authn-lifecycle/audit";
  /** Secret files readable by the owner and the pod's group (fsGroup) only. */
  static final int SECRET_MODE = 0440;

  /**
   * Start-up budget: the runtime's topic check (up to 60 s), the JVM, then a restore from the
   * changelogs (50.6 s for the mover at a million subjects with no local state): three times that, 6 minutes.
   */
  static final int STARTUP_PERIOD_SECONDS = 10;
  static final int STARTUP_FAILURES = 36;

  private Workloads() {}

  static List<ObjectNode> all() {
    List<ObjectNode> docs = new ArrayList<>();
    for (Component c : COMPONENTS) {
      docs.add(service(c));
      docs.add(c.streams() ? statefulSet(c) : deployment(c));
      docs.add(disruptionBudget(c));
      if (c.kind() == Kind.CONSOLE) {
        docs.add(consoleClaim());
      }
    }
    return docs;
  }

  /**
   * Headless: the StatefulSet's pods get stable names, and operators reach any instance's query port.
   * The ingest's is a plain Service: the HR systems and MDMs call its API through it.
   */
  static ObjectNode service(Component c) {
    ObjectNode svc = Yaml.object("v1", "Service", c.name());
    Manifests.labels(svc, c.name());
    ObjectNode spec = svc.putObject("spec");
    boolean api = c.kind() == Kind.INGEST || c.kind() == Kind.CONSOLE;
    if (!api) {
      spec.put("clusterIP", "None");
    }
    spec.putObject("selector").put("app.kubernetes.io/name", c.name());
    ArrayNode ports = spec.putArray("ports");
    ports.addObject().put("name", "http").put("port", HTTP_PORT).put("targetPort", "http");
    if (!api) {
      ports.addObject().put("name", "query").put("port", QUERY_PORT).put("targetPort", "query");
    }
    return svc;
  }

  static ObjectNode statefulSet(Component c) {
    ObjectNode sts = Yaml.object("apps/v1", "StatefulSet", c.name());
    Manifests.labels(sts, c.name()).put("app.kubernetes.io/component", "worker");
    ObjectNode spec = sts.putObject("spec").put("serviceName", c.name()).put("replicas", 2)
        // Instances of a Streams app join and leave the group independently: no need to start them in order.
        .put("podManagementPolicy", "Parallel");
    spec.putObject("selector").putObject("matchLabels").put("app.kubernetes.io/name", c.name());
    spec.putObject("updateStrategy").put("type", "RollingUpdate");
    spec.set("template", template(c));
    ObjectNode claim = spec.putArray("volumeClaimTemplates").addObject();
    claim.putObject("metadata").put("name", "state");
    ObjectNode claimSpec = claim.putObject("spec");
    claimSpec.putArray("accessModes").add("ReadWriteOnce");
    claimSpec.putObject("resources").putObject("requests").put("storage", "10Gi");
    spec.putObject("persistentVolumeClaimRetentionPolicy").put("whenDeleted", "Retain").put("whenScaled", "Retain");
    return sts;
  }

  static ObjectNode deployment(Component c) {
    ObjectNode d = Yaml.object("apps/v1", "Deployment", c.name());
    boolean single = c.kind() == Kind.INGEST || c.kind() == Kind.CONSOLE;
    Manifests.labels(d, c.name()).put("app.kubernetes.io/component", c.kind().name().toLowerCase(java.util.Locale.ROOT));
    ObjectNode spec = d.putObject("spec").put("replicas", single ? 1 : 2);
    if (single) {
      // One writer at a time: stop the old pod before the new one takes the transactional id (the ingest) or the
      // data volume with the audit chain heads (the console, whose sessions live in memory).
      spec.putObject("strategy").put("type", "Recreate");
    }
    spec.putObject("selector").putObject("matchLabels").put("app.kubernetes.io/name", c.name());
    spec.set("template", template(c));
    return d;
  }

  static ObjectNode disruptionBudget(Component c) {
    ObjectNode pdb = Yaml.object("policy/v1", "PodDisruptionBudget", c.name());
    Manifests.labels(pdb, c.name());
    ObjectNode spec = pdb.putObject("spec").put("maxUnavailable", 1);
    spec.putObject("selector").putObject("matchLabels").put("app.kubernetes.io/name", c.name());
    return pdb;
  }

  private static ObjectNode template(Component c) {
    ObjectNode template = Yaml.map();
    ObjectNode meta = template.putObject("metadata");
    meta.putObject("labels").put("app.kubernetes.io/name", c.name()).put("app.kubernetes.io/part-of", Manifests.PART_OF);
    meta.putObject("annotations").put("prometheus.io/scrape", "true").put("prometheus.io/path", "/metrics")
        .put("prometheus.io/port", String.valueOf(HTTP_PORT));
    ObjectNode pod = template.putObject("spec")
        // close(Duration) gets shutdown.timeout (30 s) to commit and leave the group before the kill.
        .put("terminationGracePeriodSeconds", 45)
        .put("automountServiceAccountToken", false);
    pod.putObject("securityContext").put("runAsNonRoot", true).put("runAsUser", 10001).put("runAsGroup", 10001)
        .put("fsGroup", 10001).putObject("seccompProfile").put("type", "RuntimeDefault");
    ObjectNode container = pod.putArray("containers").addObject().put("name", c.name()).put("image", Manifests.IMAGE);
    container.putArray("args").add(c.name());
    ArrayNode ports = container.putArray("ports");
    ports.addObject().put("name", "http").put("containerPort", HTTP_PORT);
    ports.addObject().put("name", "query").put("containerPort", QUERY_PORT);
    container.putArray("envFrom").addObject().putObject("configMapRef").put("name", Manifests.CONFIG_MAP);
    ArrayNode env = container.putArray("env");
    env.addObject().put("name", "LIFECYCLE_HTTP_ADVERTISED_HOST").putObject("valueFrom").putObject("fieldRef")
        .put("fieldPath", "status.podIP");
    secretEnv(env, "LIFECYCLE_KAFKA_SASL_JAAS_CONFIG", c.name(), "sasl.jaas.config");
    secretEnv(env, "LIFECYCLE_KAFKA_SSL_TRUSTSTORE_PASSWORD", CLUSTER_CA_SECRET, "ca.password");
    if (c.streams()) {
      env.addObject().put("name", "LIFECYCLE_STATE_DIR").put("value", STATE_MOUNT + "/state");
    }
    if (c.kind() == Kind.INGEST) {
      env.addObject().put("name", "LIFECYCLE_INGEST_TOKENS_FILE").put("value", INGEST_TOKENS_MOUNT + "/tokens.properties");
    } else {
      env.addObject().put("name", "LIFECYCLE_HTTP_QUERY_TOKEN_FILE").put("value", QUERY_TOKEN_MOUNT + "/token");
    }
    if (c.kind() == Kind.CONSOLE) {
      env.addObject().put("name", "LIFECYCLE_CONSOLE_DATA_DIR").put("value", STATE_MOUNT + "/console");
      secretEnv(env, "LIFECYCLE_CONSOLE_ENROLL_SECRET", CONSOLE_ENROLL_SECRET, "secret");
    }
    env.addObject().put("name", "LIFECYCLE_AUDIT_SIGNING_KEY").put("value", AUDIT_KEY_MOUNT + "/audit.key");
    container.set("startupProbe", probe("/ready", STARTUP_PERIOD_SECONDS, STARTUP_FAILURES));
    container.set("livenessProbe", probe("/health", 10, 3));
    container.set("readinessProbe", probe("/ready", 5, 2));
    ObjectNode resources = container.putObject("resources");
    resources.putObject("requests").put("cpu", c.cpu()).put("memory", "1Gi");
    resources.putObject("limits").put("cpu", "2").put("memory", "1536Mi");
    ObjectNode security = container.putObject("securityContext").put("allowPrivilegeEscalation", false)
        .put("readOnlyRootFilesystem", true);
    security.putObject("capabilities").putArray("drop").add("ALL");

    ArrayNode mounts = container.putArray("volumeMounts");
    ArrayNode volumes = pod.putArray("volumes");
    mounts.addObject().put("name", "cluster-ca").put("mountPath", CLUSTER_CA_MOUNT).put("readOnly", true);
    ObjectNode ca = volumes.addObject().put("name", "cluster-ca").putObject("secret").put("secretName", CLUSTER_CA_SECRET);
    ca.putArray("items").addObject().put("key", "ca.p12").put("path", "ca.p12");
    // The JRE and RocksDB unpack native libraries and write JVM data under /tmp; the root file system is read-only.
    mounts.addObject().put("name", "tmp").put("mountPath", "/tmp");
    volumes.addObject().put("name", "tmp").putObject("emptyDir").put("sizeLimit", "256Mi");
    if (c.streams() || c.kind() == Kind.CONSOLE) {
      mounts.addObject().put("name", "state").put("mountPath", STATE_MOUNT);
    }
    if (c.kind() == Kind.CONSOLE) {
      volumes.addObject().put("name", "state").putObject("persistentVolumeClaim").put("claimName", CONSOLE_STATE_CLAIM);
    }
    if (c.kind() == Kind.INGEST) {
      mounts.addObject().put("name", "tokens").put("mountPath", INGEST_TOKENS_MOUNT).put("readOnly", true);
      volumes.addObject().put("name", "tokens").putObject("secret").put("secretName", INGEST_TOKENS_SECRET);
    } else {
      mounts.addObject().put("name", "query-token").put("mountPath", QUERY_TOKEN_MOUNT).put("readOnly", true);
      volumes.addObject().put("name", "query-token").putObject("secret").put("secretName", QUERY_TOKEN_SECRET)
          .put("defaultMode", SECRET_MODE);
    }
    mounts.addObject().put("name", "audit-key").put("mountPath", AUDIT_KEY_MOUNT).put("readOnly", true);
    volumes.addObject().put("name", "audit-key").putObject("secret").put("secretName", c.name() + "-audit-key")
        .put("defaultMode", SECRET_MODE);
    return template;
  }

  /** The console's data: enrolled passkeys, used links, audit chain heads, signature counters. */
  static ObjectNode consoleClaim() {
    ObjectNode pvc = Yaml.object("v1", "PersistentVolumeClaim", CONSOLE_STATE_CLAIM);
    Manifests.labels(pvc, "approver-console");
    ObjectNode spec = pvc.putObject("spec");
    spec.putArray("accessModes").add("ReadWriteOnce");
    spec.putObject("resources").putObject("requests").put("storage", "1Gi");
    return pvc;
  }

  private static void secretEnv(ArrayNode env, String name, String secret, String key) {
    env.addObject().put("name", name).putObject("valueFrom").putObject("secretKeyRef").put("name", secret).put("key", key);
  }

  private static ObjectNode probe(String path, int period, int failures) {
    ObjectNode probe = Yaml.map();
    probe.putObject("httpGet").put("path", path).put("port", "http");
    return probe.put("periodSeconds", period).put("failureThreshold", failures).put("timeoutSeconds", 3);
  }
}
