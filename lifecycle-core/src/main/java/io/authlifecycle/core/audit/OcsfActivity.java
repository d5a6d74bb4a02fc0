package io.authlifecycle.core.audit;

/**
 * The OCSF 1.8.0 class and activity an audit action is reported as: Identity & Access Management
 * (category 3) for what happens to accounts, factors, tickets and devices, Application Activity
 * (category 6) for input the product could not accept.
 */
public enum OcsfActivity {
  MFA_FACTOR_ENABLE(3, 3001, "Account Change", 10, "MFA Factor Enable"),
  MFA_FACTOR_DISABLE(3, 3001, "Account Change", 11, "MFA Factor Disable"),
  ACCOUNT_DISABLE(3, 3001, "Account Change", 5, "Disable"),
  ACCOUNT_LOCK(3, 3001, "Account Change", 9, "Lock"),
  ACCOUNT_UNLOCK(3, 3001, "Account Change", 12, "Unlock"),
  /** A ticket issued: the ticket is the managed entity created. */
  ENTITY_CREATE(3, 3004, "Entity Management", 1, "Create"),
  /** A device reported lost or stolen: the device is the managed entity disabled. */
  ENTITY_DISABLE(3, 3004, "Entity Management", 9, "Disable"),
  FACTOR_SUSPEND(3, 3004, "Entity Management", 12, "Suspend"),
  FACTOR_RESUME(3, 3004, "Entity Management", 13, "Resume"),
  /** Input dead-lettered: the product could not accept a record. */
  APPLICATION_ERROR(6, 6008, "Application Error", 1, "General Error"),
  /** Something done about an application error (a dead letter replayed); the action names it. */
  APPLICATION_OTHER(6, 6008, "Application Error", 99, "Other"),
  /** An account event OCSF has no activity for; the action's own caption names it. */
  OTHER(3, 3001, "Account Change", 99, "Other");

  private final int categoryUid;
  private final int classUid;
  private final String className;
  private final int activityId;
  private final String activityName;

  OcsfActivity(int categoryUid, int classUid, String className, int activityId, String activityName) {
    this.categoryUid = categoryUid;
    this.classUid = classUid;
    this.className = className;
    this.activityId = activityId;
    this.activityName = activityName;
  }

  public int categoryUid() {
    return categoryUid;
  }

  public String categoryName() {
    return categoryUid == 3 ? "Identity & Access Management" : "Application Activity";
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

  /** The schema's caption of the activity ("Other" for 99; the event carries the product's own name instead). */
  public String activityName() {
    return activityName;
  }

  public boolean isOther() {
    return activityId == 99;
  }

  /** {@code type_uid} = class_uid × 100 + activity_id. */
  public long typeUid() {
    return classUid * 100L + activityId;
  }
}
