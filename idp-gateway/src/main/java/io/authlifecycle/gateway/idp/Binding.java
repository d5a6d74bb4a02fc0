package io.authlifecycle.gateway.idp;

import io.authlifecycle.avro.FactorType;
import java.time.Instant;

/** An authenticator the subject bound at the IdP (for example by completing a required action). */
public record Binding(String subjectId, String authenticatorId, FactorType factorType, Instant boundAt) {}
