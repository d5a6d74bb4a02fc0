package io.authlifecycle.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/** Lets Avro instantiate this project's generated classes and no others beyond its defaults. */
final class AvroTrust {

  static final String GENERATED_PACKAGE = "io.authlifecycle.avro.";

  static {
    ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
        previous, type -> type.getName().startsWith(GENERATED_PACKAGE)));
  }

  private AvroTrust() {}

  /** Loading this class installs the rule once. */
  static void ensure() {}
}
