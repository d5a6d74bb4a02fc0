package io.authlifecycle.gateway.idp;

import io.authlifecycle.avro.FactorType;
import java.util.List;

/**
 * What applying a command did at the IdP: the credentials it removed (one fact each), the
 * authenticators it touched, and a line saying what happened.
 */
public record Applied(List<Credential> removed, List<String> touched, String detail) {

  /** A credential at the IdP: its id there and the product's factor type for it. */
  public record Credential(String id, FactorType factorType) {}

  public Applied {
    removed = List.copyOf(removed);
    touched = List.copyOf(touched);
  }

  public static Applied nothingRemoved(String detail) {
    return new Applied(List.of(), List.of(), detail);
  }

  public static Applied removed(List<Credential> removed, String detail) {
    return new Applied(removed, removed.stream().map(Credential::id).toList(), detail);
  }
}
