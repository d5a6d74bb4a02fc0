package io.authlifecycle.deploy;

import io.authlifecycle.core.security.AccessPlan;
import io.authlifecycle.core.security.OwnerOnlyFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

/**
 * The local stack with SASL/PLAIN and the standard authorizer: one principal per component and
 * per outside party as {@link AccessPlan} lists them, each with a random password kept in
 * {@code credentials.properties} beside the broker's data (so restarts keep them), the plan's
 * ACLs, and an admin client file for operators; both files readable by their owner only.
 */
public final class LocalSecurity {

  public static final String ADMIN = "admin";
  static final String MECHANISM = "PLAIN";
  private static final String APPLICATION_ID_PREFIX = "authn-lifecycle";

  private final Map<String, String> passwords;
  private final AccessPlan plan;

  private LocalSecurity(Map<String, String> passwords, AccessPlan plan) {
    this.passwords = passwords;
    this.plan = plan;
  }

  /** Loads the credentials under {@code home}, creating any that are missing. */
  public static LocalSecurity load(Path home) throws IOException {
    Files.createDirectories(home);
    Path file = home.resolve("credentials.properties");
    Properties stored = new Properties();
    if (Files.exists(file)) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        stored.load(reader);
      }
    }
    AccessPlan plan = AccessPlan.standard(APPLICATION_ID_PREFIX);
    Map<String, String> passwords = new LinkedHashMap<>();
    SecureRandom random = new SecureRandom();
    passwords.put(ADMIN, stored.getProperty(ADMIN, secret(random)));
    for (String principal : plan.grants().keySet()) {
      passwords.put(principal, stored.getProperty(principal, secret(random)));
    }
    Properties out = new Properties();
    out.putAll(passwords);
    // Passwords: readable by the user running the stack only, from the moment the file exists.
    OwnerOnlyFiles.write(file, text(out, "local stack SASL/PLAIN credentials, one per principal; delete to rotate"));
    LocalSecurity security = new LocalSecurity(passwords, plan);
    Properties admin = new Properties();
    security.clientProperties(ADMIN).forEach(admin::setProperty);
    OwnerOnlyFiles.write(home.resolve("admin-client.properties"),
        text(admin, "for bin/lifecyclectl --client-config against the secured local stack"));
    return security;
  }

  /** Broker properties: SASL/PLAIN on the client listener, the standard authorizer, no access without an ACL. */
  public Map<String, String> brokerProperties(String listenerName) {
    StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"")
        .append(ADMIN).append("\" password=\"").append(passwords.get(ADMIN)).append('"');
    passwords.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
    jaas.append(';');
    Map<String, String> props = new LinkedHashMap<>();
    props.put("sasl.enabled.mechanisms", MECHANISM);
    props.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
    props.put("listener.name." + listenerName.toLowerCase(java.util.Locale.ROOT) + ".plain.sasl.jaas.config", jaas.toString());
    props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    // The controller listener stays on loopback without SASL: its peer is this same node.
    props.put("super.users", "User:" + ADMIN + ";User:ANONYMOUS");
    props.put("allow.everyone.if.no.acl.found", "false");
    return props;
  }

  /** Client properties of one principal (without the bootstrap servers). */
  public Map<String, String> clientProperties(String principal) {
    String password = passwords.get(principal);
    if (password == null) {
      throw new IllegalArgumentException("no principal " + principal + " in the access plan");
    }
    Map<String, String> props = new LinkedHashMap<>();
    props.put("security.protocol", "SASL_PLAINTEXT");
    props.put("sasl.mechanism", MECHANISM);
    props.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + principal + "\" password=\"" + password + "\";");
    return props;
  }

  public boolean knows(String principal) {
    return passwords.containsKey(principal);
  }

  /**
   * Creates the plan's ACLs (creating an existing ACL is a no-op) and waits until the broker enforces them:
   * the controller commits them before the broker applies them, and a component started in between would be
   * refused.
   */
  public void applyAcls(Map<String, Object> adminProps) throws Exception {
    try (Admin admin = Admin.create(adminProps)) {
      admin.createAcls(plan.bindings()).all().get();
      Set<AclBinding> wanted = new HashSet<>(plan.bindings());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!admin.describeAcls(AclBindingFilter.ANY).values().get().containsAll(wanted)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the broker did not apply the access plan's ACLs within 60 s");
        }
        Thread.sleep(50);
      }
    }
  }

  private static String text(Properties props, String comment) throws IOException {
    StringWriter text = new StringWriter();
    props.store(text, comment);
    return text.toString();
  }

  private static String secret(SecureRandom random) {
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
