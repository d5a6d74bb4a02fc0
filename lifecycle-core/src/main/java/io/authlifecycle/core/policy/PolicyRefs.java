package io.authlifecycle.core.policy;

/** The sections decisions cite in {@code policyRef} and {@code controlRefs} (see docs/standards.md). */
public final class PolicyRefs {

  private PolicyRefs() {}

  public static final String AAL_REQUIREMENTS = "NIST SP 800-63B-4 2.2, 2.3";
  public static final String RESTRICTED_AUTHENTICATORS = "NIST SP 800-63B-4 3.2.9";
  public static final String EMAIL_NOT_OUT_OF_BAND = "NIST SP 800-63B-4 3.1.3.1";
  public static final String PHONE_NUMBER_CHANGE = "NIST SP 800-63B-4 3.1.3.3";
  public static final String AUTHENTICATOR_RECORD = "NIST SP 800-63B-4 4.1";
  public static final String BINDING = "NIST SP 800-63B-4 4.1.2.1";
  public static final String BINDING_CODE = "NIST SP 800-63B-4 4.1.2.2";
  public static final String RENEWAL = "NIST SP 800-63B-4 4.1.4";
  public static final String ACCOUNT_RECOVERY = "NIST SP 800-63B-4 4.2";
  public static final String RECOVERY_EVIDENCE = "NIST SP 800-63B-4 4.2.2";
  public static final String RECOVERY_NOTIFICATION = "NIST SP 800-63B-4 4.2.3";
  public static final String LOSS_THEFT = "NIST SP 800-63B-4 4.3";
  public static final String EXPIRATION = "NIST SP 800-63B-4 4.4";
  public static final String INVALIDATION = "NIST SP 800-63B-4 4.5";
  public static final String ACCOUNT_NOTIFICATIONS = "NIST SP 800-63B-4 4.6";
  public static final String OWASP_MFA_PRIVILEGED = "OWASP MFA Cheat Sheet (privileged accounts)";
  public static final String OWASP_MFA_REPLACEMENT = "OWASP MFA Cheat Sheet (changing factors)";
  public static final String NHI_OFFBOARDING = "OWASP NHI1:2025 Improper Offboarding";
  public static final String NHI_HUMAN_USE = "OWASP NHI10:2025 Human Use of NHI";
  public static final String NHI_WORKLOAD_IDENTITY = "OWASP NHI4:2025 Insecure Authentication";
  public static final String NHI_LONG_LIVED = "OWASP NHI7:2025 Long-Lived Secrets";

  public static final String CSF_CREDENTIALS_MANAGED = "NIST CSF 2.0 PR.AA-01";
  public static final String CSF_PROOFED_AND_BOUND = "NIST CSF 2.0 PR.AA-02";
  public static final String CSF_LEAST_PRIVILEGE = "NIST CSF 2.0 PR.AA-05";
}
