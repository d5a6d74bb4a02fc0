package io.authlifecycle.ingest.scim;

import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.types.AttributeDefinition.Mutability;
import com.unboundid.scim2.common.types.AttributeDefinition.Type;
import com.unboundid.scim2.common.types.AuthenticationScheme;
import com.unboundid.scim2.common.types.BulkConfig;
import com.unboundid.scim2.common.types.ChangePasswordConfig;
import com.unboundid.scim2.common.types.ETagConfig;
import com.unboundid.scim2.common.types.EnterpriseUserExtension;
import com.unboundid.scim2.common.types.FilterConfig;
import com.unboundid.scim2.common.types.PatchConfig;
import com.unboundid.scim2.common.types.SchemaResource;
import com.unboundid.scim2.common.types.ServiceProviderConfigResource;
import com.unboundid.scim2.common.types.SortConfig;
import com.unboundid.scim2.common.types.UserResource;
import com.unboundid.scim2.common.utils.SchemaUtils;
import com.unboundid.scim2.server.utils.ResourceTypeDefinition;
import io.authlifecycle.avro.Channel;
import io.authlifecycle.avro.IdentityAssuranceLevel;
import io.authlifecycle.avro.VerificationMethod;
import java.beans.IntrospectionException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The SCIM schemas this service provider serves: RFC 7643's core User and enterprise extension (from
 * the SDK's annotated classes) and the product's own extension, the User resource type built from
 * them, and the service provider configuration.
 */
public final class ScimSchemas {

  public static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
  public static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  /** The product's extension: identity verification, privilege, channels, owned service identities, effective time. */
  public static final String LIFECYCLE = "urn:ietf:params:scim:schemas:extension:authlifecycle:2.0:User";

  public static final SchemaResource CORE_SCHEMA = annotated(UserResource.class);
  public static final SchemaResource ENTERPRISE_SCHEMA = managerRefOptional(annotated(EnterpriseUserExtension.class));
  public static final SchemaResource LIFECYCLE_SCHEMA = lifecycleSchema();

  /** The User resource type; the enterprise extension is required (its employeeNumber is the subject id). */
  public static final ResourceTypeDefinition USERS = new ResourceTypeDefinition.Builder("User", "/Users")
      .setId("User")
      .setDescription("A person or service identity whose authenticators this product manages")
      .setCoreSchema(CORE_SCHEMA)
      .addRequiredSchemaExtension(ENTERPRISE_SCHEMA)
      .addOptionalSchemaExtension(LIFECYCLE_SCHEMA)
      .build();

  public static final List<SchemaResource> ALL = List.of(CORE_SCHEMA, ENTERPRISE_SCHEMA, LIFECYCLE_SCHEMA);

  private ScimSchemas() {}

  /** What this service provider supports: PATCH, filters and ETags; no bulk, sort or password change. */
  public static ServiceProviderConfigResource serviceProviderConfig(int maxResults, boolean mtls) {
    List<AuthenticationScheme> schemes = new ArrayList<>();
    schemes.add(AuthenticationScheme.createOAuth2BearerToken(true));
    if (mtls) {
      schemes.add(new AuthenticationScheme("TLS client certificate",
          "A client certificate issued by a trusted CA; the client is the certificate's common name",
          URI.create("https://www.rfc-editor.org/rfc/rfc8446#section-4.4.2"), null, "x509", false));
    }
    return new ServiceProviderConfigResource(null, new PatchConfig(true), new BulkConfig(false, 0, 0),
        new FilterConfig(true, maxResults), new ChangePasswordConfig(false), new SortConfig(false),
        new ETagConfig(true), schemes);
  }

  private static SchemaResource lifecycleSchema() {
    List<AttributeDefinition> attributes = List.of(
        attribute("identityType", Type.STRING, "HUMAN for a person; SERVICE for a non-human identity, which never "
            + "gets human MFA. Default HUMAN.").addCanonicalValues("HUMAN", "SERVICE").build(),
        attribute("privileged", Type.BOOLEAN, "An admin or otherwise privileged account: phishing-resistant "
            + "factors only.").build(),
        attribute("identityVerification", Type.COMPLEX, "The identity-verification event behind the account: "
            + "method, level, time and a reference to the evidence (never the evidence itself).")
            .addSubAttributes(
                attribute("method", Type.STRING, "How the identity was verified.")
                    .addCanonicalValues(names(VerificationMethod.values())).setRequired(true).build(),
                attribute("level", Type.STRING, "Identity assurance level reached (NIST SP 800-63A).")
                    .addCanonicalValues(names(IdentityAssuranceLevel.values())).setRequired(true).build(),
                attribute("time", Type.DATETIME, "When the identity was verified.").setRequired(true).build(),
                attribute("reference", Type.STRING, "The verification's id in the proofing system.")
                    .setRequired(true).build(),
                attribute("verifier", Type.STRING, "Who or what verified it.").build())
            .build(),
        attribute("channels", Type.STRING, "The subject's registered notification channels.")
            .setMultiValued(true).addCanonicalValues(names(Channel.values())).build(),
        attribute("ownedServiceIdentities", Type.STRING, "Non-human identities this subject owns.")
            .setMultiValued(true).build(),
        attribute("effectiveTime", Type.DATETIME, "When the change the request makes takes effect (hire, move or "
            + "termination date); read only from a request that sets it, else the change is effective now.").build(),
        attribute("forCause", Type.BOOLEAN, "A termination for cause: revocation at once, whatever the effective time.")
            .build());
    return new SchemaResource(LIFECYCLE, "AuthLifecycleUser",
        "Authenticator-lifecycle attributes of a user", attributes);
  }

  private static AttributeDefinition.Builder attribute(String name, Type type, String description) {
    return new AttributeDefinition.Builder().setName(name).setType(type).setDescription(description)
        .setMutability(Mutability.READ_WRITE).setCaseExact(false);
  }

  private static String[] names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).filter(n -> !n.equals("UNKNOWN")).toArray(String[]::new);
  }

  /**
   * RFC 7643 marks manager.$ref required, but HR systems and IdPs (Entra, Okta) send the manager's
   * id as {@code value} alone; the ingest needs only that, so {@code $ref} is optional here.
   */
  private static SchemaResource managerRefOptional(SchemaResource enterprise) {
    List<AttributeDefinition> attributes = new ArrayList<>();
    for (AttributeDefinition a : enterprise.getAttributes()) {
      if (!a.getName().equals("manager")) {
        attributes.add(a);
        continue;
      }
      AttributeDefinition.Builder manager = copy(a);
      manager.addSubAttributes(a.getSubAttributes().stream()
          .map(sub -> copy(sub).setRequired(!sub.getName().equals("$ref") && sub.isRequired()).build())
          .toArray(AttributeDefinition[]::new));
      attributes.add(manager.build());
    }
    return new SchemaResource(enterprise.getId(), enterprise.getName(), enterprise.getDescription(), attributes);
  }

  private static AttributeDefinition.Builder copy(AttributeDefinition a) {
    AttributeDefinition.Builder b = new AttributeDefinition.Builder().setName(a.getName()).setType(a.getType())
        .setDescription(a.getDescription()).setMultiValued(a.isMultiValued()).setRequired(a.isRequired())
        .setCaseExact(a.isCaseExact()).setMutability(a.getMutability()).setReturned(a.getReturned())
        .setUniqueness(a.getUniqueness());
    if (a.getCanonicalValues() != null) {
      b.addCanonicalValues(a.getCanonicalValues().toArray(String[]::new));
    }
    if (a.getReferenceTypes() != null) {
      b.addReferenceTypes(a.getReferenceTypes().toArray(String[]::new));
    }
    return b;
  }

  private static SchemaResource annotated(Class<?> type) {
    try {
      return SchemaUtils.getSchema(type);
    } catch (IntrospectionException e) {
      throw new IllegalStateException("cannot read the SCIM schema of " + type.getName(), e);
    }
  }
}
