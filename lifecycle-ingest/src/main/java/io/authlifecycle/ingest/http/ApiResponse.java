package io.authlifecycle.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.messages.ErrorResponse;
import com.unboundid.scim2.common.utils.JsonUtils;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response: status, headers, body (SCIM JSON unless said otherwise). */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {

  public static final String SCIM_JSON = "application/scim+json";

  /** A SCIM object (resource, list, error) written with the SDK's mapper. */
  public static ApiResponse scim(int status, Object value) {
    try {
      return new ApiResponse(status, new LinkedHashMap<>(Map.of("Content-Type", SCIM_JSON)),
          JsonUtils.getObjectWriter().writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a SCIM response", e);
    }
  }

  /** RFC 7644 3.12: the error body, with the status of the exception. */
  public static ApiResponse error(ScimException e) {
    return scim(e.getScimError().getStatus(), e.getScimError());
  }

  public static ApiResponse error(int status, String scimType, String detail) {
    ErrorResponse body = new ErrorResponse(status);
    body.setScimType(scimType);
    body.setDetail(detail);
    return scim(status, body);
  }

  public static ApiResponse empty(int status) {
    return new ApiResponse(status, new LinkedHashMap<>(), new byte[0]);
  }

  public ApiResponse withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }
}
