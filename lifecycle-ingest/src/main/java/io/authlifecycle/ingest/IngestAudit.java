package io.authlifecycle.ingest;

import io.authlifecycle.avro.AuditEvent;
import io.authlifecycle.avro.AuditOutcome;
import io.authlifecycle.avro.Severity;
import io.authlifecycle.core.policy.PolicyRefs;
import io.authlifecycle.core.streams.Decisions;
import io.authlifecycle.ingest.http.ApiRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The audit drafts of the ingest: who sent what, and what it became (the journal chains them). */
public final class IngestAudit {

  public static final String HR_EVENT_PUBLISHED = "ingest.hr-event.published";
  public static final String SCIM_RECORDED = "ingest.scim.recorded";
  public static final String DEVICE_EVENT_PUBLISHED = "ingest.device-event.published";
  public static final String REQUEST_REFUSED = "ingest.request.refused";

  private IngestAudit() {}

  /** An accepted request that published an event; {@code causationId} is the event's id. */
  public static AuditEvent.Builder published(String action, String subjectId, ApiRequest request, String eventId,
      String reason, Map<String, String> details) {
    return Decisions.audit(subjectId, action, AuditOutcome.RECORDED, Severity.INFO, null,
            List.of(PolicyRefs.CSF_CREDENTIALS_MANAGED))
        .setReason(reason)
        .setCausationId(eventId)
        .setDetails(withRequest(request, details));
  }

  /** An accepted SCIM write that changed the resource but no lifecycle fact. */
  public static AuditEvent.Builder recorded(String subjectId, ApiRequest request, Map<String, String> details) {
    return Decisions.audit(subjectId, SCIM_RECORDED, AuditOutcome.RECORDED, Severity.INFO, null,
            List.of(PolicyRefs.CSF_CREDENTIALS_MANAGED))
        .setReason("the user changed without a lifecycle event (no role, manager, privilege or activity change)")
        .setDetails(withRequest(request, details));
  }

  /**
   * An authenticated client's invalid request: nothing was published. Chained per client; a
   * malformed leaver is a security signal, not only a 400.
   */
  public static AuditEvent.Builder refused(ApiRequest request, String status, String detail) {
    return Decisions.audit("client:" + request.client().id(), REQUEST_REFUSED, AuditOutcome.REFUSED, Severity.MEDIUM,
            null, List.of(PolicyRefs.CSF_CREDENTIALS_MANAGED))
        .setReason(detail)
        .setDetails(withRequest(request, Map.of("status", status)));
  }

  private static Map<String, String> withRequest(ApiRequest request, Map<String, String> details) {
    Map<String, String> all = new LinkedHashMap<>(details);
    all.put("client", request.client().id());
    all.put("authentication", request.client().method());
    all.put("request", request.method() + " " + request.path());
    all.put("bodyBytes", String.valueOf(request.body().length));
    return all;
  }
}
