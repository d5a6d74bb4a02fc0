package io.authlifecycle.ingest.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.utils.JsonUtils;
import io.authlifecycle.ingest.scim.ScimSchemas;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.WebTarget;
import java.time.Instant;
import java.util.List;
import org.glassfish.jersey.apache5.connector.Apache5ConnectorProvider;
import org.glassfish.jersey.client.ClientConfig;

/**
 * A real SCIM 2.0 client against a running ingest: UnboundID's SCIM 2 SDK client over Jersey (with
 * the Apache HttpClient 5 connector, which sends PATCH), authenticated by a bearer token.
 */
public final class ScimTestClient implements AutoCloseable {

  private final Client client;
  private final ScimService scim;

  public ScimTestClient(String baseUrl, String token) {
    client = ClientBuilder.newClient(new ClientConfig().connectorProvider(new Apache5ConnectorProvider()));
    WebTarget target = client.target(baseUrl + "/scim/v2");
    if (token != null) {
      target = target.register((ClientRequestFilter) request ->
          request.getHeaders().putSingle("Authorization", "Bearer " + token));
    }
    scim = new ScimService(target);
  }

  public ScimService scim() {
    return scim;
  }

  /**
   * A User as an HR system provisions it: userName, a role, the enterprise extension (employeeNumber
   * = subject id, department, manager) and the product extension (channels and, if given, a verification).
   */
  public static GenericScimResource user(String subjectId, String role, boolean privileged, String verificationRef) {
    ObjectNode node = JsonUtils.getJsonNodeFactory().objectNode();
    ArrayNode schemas = node.putArray("schemas");
    schemas.add(ScimSchemas.CORE).add(ScimSchemas.ENTERPRISE).add(ScimSchemas.LIFECYCLE);
    node.put("userName", subjectId + "@example.com");
    node.put("displayName", subjectId);
    node.put("active", true);
    node.put("title", role);
    ObjectNode roleValue = node.putArray("roles").addObject();
    roleValue.put("value", role).put("primary", true);
    ObjectNode enterprise = node.putObject(ScimSchemas.ENTERPRISE);
    enterprise.put("employeeNumber", subjectId).put("department", "engineering");
    enterprise.putObject("manager").put("value", "mgr-" + subjectId);
    ObjectNode own = node.putObject(ScimSchemas.LIFECYCLE);
    own.put("privileged", privileged);
    ArrayNode channels = own.putArray("channels");
    List.of("WORK_EMAIL", "PUSH", "PERSONAL_EMAIL").forEach(channels::add);
    if (verificationRef != null) {
      own.set("identityVerification", verification(verificationRef, "IAL2"));
    }
    return new GenericScimResource(node);
  }

  /** The product extension's identity verification: remote proofing now, at the given level. */
  public static ObjectNode verification(String reference, String level) {
    ObjectNode v = JsonUtils.getJsonNodeFactory().objectNode();
    v.put("method", "REMOTE_PROOFING").put("level", level).put("time", Instant.now().toString())
        .put("reference", reference);
    return v;
  }

  @Override
  public void close() {
    client.close();
  }
}
