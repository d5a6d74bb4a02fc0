package io.authlifecycle.core.policy;

import io.authlifecycle.avro.AssuranceLevel;
import io.authlifecycle.avro.IdentityAssuranceLevel;

/** Ordering of assurance levels; UNKNOWN ranks below every real level. */
public final class Levels {

  private Levels() {}

  public static boolean atLeast(AssuranceLevel actual, AssuranceLevel required) {
    return rank(actual) >= rank(required) && rank(actual) > 0;
  }

  public static boolean atLeast(IdentityAssuranceLevel actual, IdentityAssuranceLevel required) {
    return rank(actual) >= rank(required) && rank(actual) > 0;
  }

  public static int rank(AssuranceLevel level) {
    return level == null ? 0 : level.ordinal();
  }

  public static int rank(IdentityAssuranceLevel level) {
    return level == null ? 0 : level.ordinal();
  }
}
