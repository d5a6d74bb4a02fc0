package io.authlifecycle.ocsf;

/** The OCSF 1.8.0 class and activity an audit action is reported as (category 3, Identity & Access Management). */
public enum OcsfActivity {
  MFA_FACTOR_ENABLE(3001, "Account Change", 10, "MFA Factor Enable"),
  MFA_FACTOR_DISABLE(3001, "Account Change", 11, "MFA Factor Disable"),
  ACCOUNT_DISABLE(3001, "Account Change", 5, "Disable"),
  ACCOUNT_LOCK(3001, "Account Change", 9, "Lock"),
  FACTOR_SUSPEND(3004, "Entity Management", 12, "Suspend"),
  FACTOR_RESUME(3004, "Entity Management", 13, "Resume"),
  OTHER(3001, "Account Change", 99, "Other");

  public static final int CATEGORY_UID = 3;
  public static final String CATEGORY_NAME = "Identity & Access Management";

  private final int classUid;
  private final String className;
  private final int activityId;
  private final String activityName;

  OcsfActivity(int classUid, String className, int activityId, String activityName) {
    this.classUid = classUid;
    this.className = className;
    this.activityId = activityId;
    this.activityName = activityName;
  }

  public int classUid() {
    return classUid;
  }

  public String className() {
    return className;
  }

  public int activityId() {
    return activityId;
  }

  public String activityName() {
    return activityName;
  }

  /** {@code type_uid} = class_uid × 100 + activity_id. */
  public long typeUid() {
    return classUid * 100L + activityId;
  }
}
