package io.authlifecycle.gateway.idp;

import io.authlifecycle.avro.DeviceAttribution;
import io.authlifecycle.avro.FactorType;
import java.time.Instant;

/**
 * An authenticator the subject bound at the IdP (for example by completing a required action):
 * its factor type as proven by what the IdP recorded, the IdP's enrollment action that creates
 * such a credential (to find the ticket it was registered under), and what the IdP knows of its device.
 */
public record Binding(String subjectId, String authenticatorId, FactorType factorType, Instant boundAt,
    String enrolledBy, String deviceId, DeviceAttribution deviceAttribution, String evidence) {}
