package io.authlifecycle.ingest.scim;

import com.unboundid.scim2.common.exceptions.MethodNotAllowedException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.types.ResourceTypeResource;
import com.unboundid.scim2.common.types.SchemaResource;
import io.authlifecycle.core.streams.InputValidator;
import io.authlifecycle.core.streams.WorkerMetrics;
import io.authlifecycle.ingest.http.ApiRequest;
import io.authlifecycle.ingest.http.ApiResponse;
import io.authlifecycle.ingest.http.Endpoint;
import io.authlifecycle.ingest.state.Journal;
import io.authlifecycle.ingest.state.KafkaUnavailableException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * The SCIM 2.0 service provider under {@code /scim/v2}: {@code /Users} and the discovery endpoints
 * {@code /ServiceProviderConfig}, {@code /Schemas} and {@code /ResourceTypes} (RFC 7644 section 4).
 */
public final class ScimEndpoint implements Endpoint {

  /** Where the service provider is served. */
  public static final String CONTEXT = "/scim/v2";

  private final Users users;
  private final int maxResults;
  private final boolean mtls;

  public ScimEndpoint(String worker, Journal journal, InputValidator validator, WorkerMetrics metrics, Clock clock,
      int maxResults, boolean mtls) {
    this.users = new Users(worker, journal, validator, metrics, clock, maxResults);
    this.maxResults = maxResults;
    this.mtls = mtls;
  }

  @Override
  public ApiResponse handle(ApiRequest request) throws ScimException, KafkaUnavailableException {
    String[] parts = request.path().replaceAll("^/+|/+$", "").split("/", 2);
    String collection = parts[0];
    String id = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
    String method = request.method();
    switch (collection) {
      case "Users":
        if (id == null) {
          if (method.equals("GET")) {
            return users.list(request);
          }
          if (method.equals("POST")) {
            return users.create(request);
          }
          throw notAllowed(method, "/Users", "GET, POST");
        }
        switch (method) {
          case "GET": return users.get(request, id);
          case "PUT": return users.replace(request, id);
          case "PATCH": return users.patch(request, id);
          case "DELETE": return users.delete(request, id);
          default: throw notAllowed(method, "/Users/{id}", "GET, PUT, PATCH, DELETE");
        }
      case "ServiceProviderConfig":
        requireGet(method, collection);
        return ApiResponse.scim(200, ScimSchemas.serviceProviderConfig(maxResults, mtls));
      case "Schemas":
        requireGet(method, collection);
        if (id == null) {
          return ApiResponse.scim(200, new ListResponse<>(ScimSchemas.ALL));
        }
        SchemaResource schema = ScimSchemas.ALL.stream().filter(s -> s.getId().equals(id)).findFirst()
            .orElseThrow(() -> new ResourceNotFoundException("no schema " + id));
        return ApiResponse.scim(200, schema);
      case "ResourceTypes":
        requireGet(method, collection);
        ResourceTypeResource users = ScimSchemas.USERS.toScimResource();
        if (id == null) {
          return ApiResponse.scim(200, new ListResponse<>(List.of(users)));
        }
        if (!id.equals(users.getId())) {
          throw new ResourceNotFoundException("no resource type " + id);
        }
        return ApiResponse.scim(200, users);
      default:
        throw new ResourceNotFoundException("no SCIM endpoint " + CONTEXT + request.path()
            + " (this service provider serves /Users, /ServiceProviderConfig, /Schemas and /ResourceTypes)");
    }
  }

  private static void requireGet(String method, String collection) throws MethodNotAllowedException {
    if (!method.equals("GET")) {
      throw notAllowed(method, "/" + collection, "GET");
    }
  }

  private static MethodNotAllowedException notAllowed(String method, String path, String allowed) {
    return new MethodNotAllowedException(method + " is not allowed on " + path + " (allowed: " + allowed + ")");
  }
}
