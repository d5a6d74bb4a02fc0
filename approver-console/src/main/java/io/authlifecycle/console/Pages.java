package io.authlifecycle.console;

import io.authlifecycle.avro.ApprovalRequested;
import io.authlifecycle.core.approvals.EnrollLinks;
import io.authlifecycle.core.approvals.Person;
import java.util.List;
import java.util.Optional;

/** The console's pages, server-rendered; every dynamic text is escaped, and the only script is /static/console.js. */
final class Pages {

  private Pages() {}

  static String esc(Object value) {
    String s = String.valueOf(value);
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String page(String title, String csrf, Person person, String body) {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title>"
        + (csrf == null ? "" : "<meta name=\"csrf\" content=\"" + esc(csrf) + "\">")
        + "<link rel=\"stylesheet\" href=\"/static/console.css\"><script src=\"/static/console.js\" defer></script></head><body>"
        + "<header><h1>" + esc(title) + "</h1>" + (person == null ? "" : "<span id=\"who\">Signed in as " + esc(person.personId())
            + " (HR " + esc(person.hrSubjectId()) + ")</span>") + "</header>"
        + body + "<p id=\"status\" role=\"status\"></p></body></html>";
  }

  static String signIn() {
    return page("Approver console", null, null, "<p>Sign in with your passkey.</p><button id=\"signin\">Sign in with a passkey</button>");
  }

  static String enroll(EnrollLinks.Grant grant, String token) {
    return page("Enroll a passkey", null, null, "<p>This single-use link enrolls a passkey for <b>" + esc(grant.person().personId())
        + "</b> (HR subject " + esc(grant.person().hrSubjectId()) + ") as " + esc(grant.roles()) + ". It expires at "
        + esc(grant.expires()) + ".</p><button id=\"enroll\" data-token=\"" + esc(token) + "\">Create my passkey</button>"
        + "<pre id=\"entry\"></pre>");
  }

  static String error(String message) {
    return page("Approver console", null, null, "<p class=\"error\">" + esc(message) + "</p>");
  }

  /** The waiting list: every open case, with why it is not offered when the person may not decide it. */
  static String waiting(Sessions.Session session, List<ApprovalRequested> cases, java.util.function.Function<ApprovalRequested,
      Optional<String>> notOffered) {
    StringBuilder rows = new StringBuilder();
    for (ApprovalRequested r : cases) {
      Optional<String> why = notOffered.apply(r);
      rows.append("<tr data-request=\"").append(esc(r.getRequestId())).append("\"><td>").append(esc(r.getSubjectId()))
          .append(r.getPrivileged() ? " <span class=\"privileged\">privileged</span>" : "").append("</td><td>")
          .append(esc(r.getRequesterId())).append(" (").append(esc(r.getChannel())).append(")</td><td>")
          .append(esc(r.getReason())).append("</td><td>").append(r.getApprovedBy().size()).append(" of ").append(r.getQuorum())
          .append("</td><td>").append(esc(r.getDeadline())).append("</td><td>")
          .append(why.isPresent() ? "<span class=\"not-offered\">" + esc(why.get()) + "</span>"
              : "<a class=\"open\" href=\"/requests/" + esc(url(r.getSubjectId())) + "/" + esc(url(r.getRequestId()))
                  + "\">Review " + esc(r.getRequestId()) + "</a>")
          .append("</td></tr>");
    }
    String table = cases.isEmpty() ? "<p id=\"empty\">No recovery request is waiting.</p>"
        : "<table id=\"waiting\"><tr><th>subject</th><th>requester</th><th>reason</th><th>approvals</th><th>deadline</th>"
            + "<th></th></tr>" + rows + "</table>";
    return page("Recovery requests waiting", session.csrf, session.person,
        "<p><a id=\"new-request\" href=\"/requests/new\">Open a recovery request (help desk)</a></p>" + table);
  }

  /** The help-desk agent's form: a recovery request for a subject, signed by the agent's passkey when sent. */
  static String openRequest(Sessions.Session session) {
    StringBuilder methods = new StringBuilder();
    for (var m : io.authlifecycle.avro.EvidenceMethod.values()) {
      if (m != io.authlifecycle.avro.EvidenceMethod.UNKNOWN) {
        methods.append("<option>").append(m.name()).append("</option>");
      }
    }
    StringBuilder reasons = new StringBuilder();
    for (var r : io.authlifecycle.avro.RecoveryReason.values()) {
      if (r != io.authlifecycle.avro.RecoveryReason.UNKNOWN) {
        reasons.append("<option>").append(r.name()).append("</option>");
      }
    }
    return page("Open a recovery request", session.csrf, session.person, "<p><a href=\"/requests\">All waiting requests</a></p>"
        + "<p>After you have verified the caller, describe the evidence you checked. Your passkey signs the request; you"
        + " are its requester, and you cannot approve it.</p><form id=\"open-request\"><table>"
        + "<tr><th><label for=\"subjectId\">subject</label></th><td><input id=\"subjectId\" name=\"subjectId\" required></td></tr>"
        + "<tr><th><label for=\"reason\">reason</label></th><td><select id=\"reason\" name=\"reason\">" + reasons
        + "</select></td></tr><tr><th><label for=\"method\">evidence checked</label></th><td><select id=\"method\" name=\"method\">"
        + methods + "</select></td></tr>"
        + "<tr><th><label for=\"reference\">evidence reference</label></th><td><input id=\"reference\" name=\"reference\"></td></tr>"
        + "<tr><th><label for=\"level\">proofing level</label></th><td><select id=\"level\" name=\"level\">"
        + "<option>UNKNOWN</option><option>IAL1</option><option>IAL2</option><option>IAL3</option></select></td></tr>"
        + "<tr><th><label for=\"lost\">factors lost (ids, comma-separated)</label></th><td><input id=\"lost\" name=\"lost\"></td></tr>"
        + "<tr><th><label for=\"comment\">comment</label></th><td><input id=\"comment\" name=\"comment\"></td></tr>"
        + "</table><button type=\"submit\" id=\"send-request\">Sign with my passkey and send</button></form>");
  }

  /** One case: what the decision needs, and the decision buttons unless it is not offered. */
  static String request(Sessions.Session session, ApprovalRequested r, List<ApprovalRequested> history,
      Optional<String> notOffered) {
    StringBuilder facts = new StringBuilder("<table id=\"facts\">");
    row(facts, "request", r.getRequestId());
    row(facts, "subject", r.getSubjectId() + (r.getPrivileged() ? " (privileged: quorum " + r.getQuorum() + ")"
        : " (standard: quorum " + r.getQuorum() + ")"));
    row(facts, "HR role", r.getSubjectRole() == null ? "not known" : r.getSubjectRole());
    row(facts, "requester", r.getRequesterId() + (r.getRequesterSubjectId() == null ? "" : ", HR subject "
        + r.getRequesterSubjectId()) + ", through " + r.getChannel());
    row(facts, "reason", r.getReason());
    row(facts, "evidence", r.getEvidence().isEmpty() ? "none" : String.join("; ", r.getEvidence()));
    row(facts, "factors on record", r.getFactorsOnRecord().isEmpty() ? "none" : String.join(", ", r.getFactorsOnRecord()));
    row(facts, "factors reported lost", r.getLostAuthenticatorIds().isEmpty() ? "none" : String.join(", ",
        r.getLostAuthenticatorIds()));
    row(facts, "may not approve", String.join(", ", r.getIneligibleApprovers()));
    row(facts, "approved by", r.getApprovedBy().isEmpty() ? "nobody yet" : String.join(", ", r.getApprovedBy()));
    row(facts, "status", r.getStatus());
    row(facts, "opened", r.getOpenedAt() == null ? "" : r.getOpenedAt());
    row(facts, "deadline", r.getDeadline());
    row(facts, "policy", r.getPolicyRef());
    facts.append("</table>");
    StringBuilder past = new StringBuilder("<h2>Recent recovery history</h2><table id=\"history\"><tr><th>request</th>"
        + "<th>status</th><th>at</th></tr>");
    for (ApprovalRequested h : history) {
      past.append("<tr><td>").append(esc(h.getRequestId())).append("</td><td>").append(esc(h.getStatus())).append("</td><td>")
          .append(esc(h.getEventTime())).append("</td></tr>");
    }
    past.append("</table>");
    String actions = notOffered.map(why -> "<p class=\"not-offered\" id=\"not-offered\">" + esc(why) + "</p>")
        .orElse("<p>Your decision is signed by your passkey over the request, the subject and this case's nonce.</p>"
            + button("approve", "APPROVE", r) + button("deny", "DENY", r));
    return page("Recovery of " + r.getSubjectId(), session.csrf, session.person,
        "<p><a href=\"/requests\">All waiting requests</a></p>" + facts + actions + past);
  }

  private static String button(String cls, String decision, ApprovalRequested r) {
    return "<button class=\"decide " + cls + "\" id=\"" + cls + "\" data-subject=\"" + esc(r.getSubjectId())
        + "\" data-request=\"" + esc(r.getRequestId()) + "\" data-decision=\"" + decision + "\">"
        + (decision.equals("APPROVE") ? "Approve" : "Deny") + " with my passkey</button>";
  }

  private static void row(StringBuilder out, String name, Object value) {
    out.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>");
  }

  static String url(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }
}
