package io.authlifecycle.core.approvals;

import java.util.Objects;

/**
 * One person who signs: the id they sign as and their HR subject id. Separation of duties
 * (requester, approver and subject are three people) is checked on HR subject ids, never on the
 * free-text ids a record carries.
 */
public record Person(String personId, String hrSubjectId) {

  public Person {
    Objects.requireNonNull(personId, "personId");
    Objects.requireNonNull(hrSubjectId, "hrSubjectId");
  }

  @Override
  public String toString() {
    return personId + " (HR " + hrSubjectId + ")";
  }
}
