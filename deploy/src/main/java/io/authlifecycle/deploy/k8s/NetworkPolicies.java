package io.authlifecycle.deploy.k8s;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What may talk to the components and what they may reach: out to the Kafka brokers and DNS; in,
 * Prometheus to the metrics port, and the query port (subjects' state) only from the operators'
 * namespace and from the other instances (which forward a question to the instance owning the
 * subject); the ingest's API from its callers, the approver console's pages from browsers. The IdP the gateway calls is an overlay's business
 * (prod opens HTTPS for it).
 */
final class NetworkPolicies {

  /** Where Prometheus runs and where operators run {@code lifecyclectl inspect}; an overlay can patch them. */
  static final String MONITORING_NAMESPACE = "monitoring";
  static final String OPERATORS_NAMESPACE = "authn-lifecycle-operators";
  static final int BROKER_PORT = 9093;

  private NetworkPolicies() {}

  static List<ObjectNode> all() {
    return List.of(components(), ingestApi(), consoleWeb());
  }

  /** The ingest's API is called by the HR systems and MDMs (or the ingress controller in front of it). */
  static ObjectNode ingestApi() {
    ObjectNode np = Yaml.object("networking.k8s.io/v1", "NetworkPolicy", "lifecycle-ingest-api");
    Manifests.labels(np, "lifecycle-ingest");
    ObjectNode spec = np.putObject("spec");
    spec.putObject("podSelector").putObject("matchLabels").put("app.kubernetes.io/name", "lifecycle-ingest");
    spec.putArray("policyTypes").add("Ingress");
    port(spec.putArray("ingress").addObject(), "TCP", Workloads.HTTP_PORT);
    return np;
  }

  /** The console's pages are opened by people's browsers (through the ingress controller in front of it). */
  static ObjectNode consoleWeb() {
    ObjectNode np = Yaml.object("networking.k8s.io/v1", "NetworkPolicy", "approver-console-web");
    Manifests.labels(np, "approver-console");
    ObjectNode spec = np.putObject("spec");
    spec.putObject("podSelector").putObject("matchLabels").put("app.kubernetes.io/name", "approver-console");
    spec.putArray("policyTypes").add("Ingress");
    port(spec.putArray("ingress").addObject(), "TCP", Workloads.HTTP_PORT);
    return np;
  }

  static ObjectNode components() {
    ObjectNode np = Yaml.object("networking.k8s.io/v1", "NetworkPolicy", Manifests.PART_OF + "-components");
    Manifests.labels(np, null);
    ObjectNode spec = np.putObject("spec");
    spec.putObject("podSelector").putObject("matchLabels").put("app.kubernetes.io/part-of", Manifests.PART_OF);
    spec.putArray("policyTypes").add("Ingress").add("Egress");

    ArrayNode ingress = spec.putArray("ingress");
    ObjectNode prometheus = ingress.addObject();
    ObjectNode fromPrometheus = prometheus.putArray("from").addObject();
    namespace(fromPrometheus, MONITORING_NAMESPACE);
    fromPrometheus.putObject("podSelector").putObject("matchLabels").put("app.kubernetes.io/name", "prometheus");
    port(prometheus, "TCP", Workloads.HTTP_PORT);
    ObjectNode queries = ingress.addObject();
    ArrayNode queriesFrom = queries.putArray("from");
    namespace(queriesFrom.addObject(), OPERATORS_NAMESPACE);
    ownPods(queriesFrom.addObject());
    port(queries, "TCP", Workloads.QUERY_PORT);

    ArrayNode egress = spec.putArray("egress");
    ObjectNode brokers = egress.addObject();
    brokers.putArray("to").addObject().putObject("podSelector").putObject("matchLabels")
        .put("strimzi.io/cluster", Manifests.CLUSTER).put("strimzi.io/kind", "Kafka");
    port(brokers, "TCP", BROKER_PORT);
    ObjectNode dns = egress.addObject();
    ObjectNode kubeDns = dns.putArray("to").addObject();
    namespace(kubeDns, "kube-system");
    kubeDns.putObject("podSelector").putObject("matchLabels").put("k8s-app", "kube-dns");
    port(dns, "UDP", 53);
    port(dns, "TCP", 53);
    ObjectNode forward = egress.addObject();
    ownPods(forward.putArray("to").addObject());
    port(forward, "TCP", Workloads.QUERY_PORT);
    return np;
  }

  private static void namespace(ObjectNode peer, String name) {
    peer.putObject("namespaceSelector").putObject("matchLabels").put("kubernetes.io/metadata.name", name);
  }

  private static void ownPods(ObjectNode peer) {
    peer.putObject("podSelector").putObject("matchLabels").put("app.kubernetes.io/part-of", Manifests.PART_OF);
  }

  private static void port(ObjectNode rule, String protocol, int port) {
    ArrayNode ports = rule.has("ports") ? (ArrayNode) rule.get("ports") : rule.putArray("ports");
    ports.addObject().put("protocol", protocol).put("port", port);
  }
}
