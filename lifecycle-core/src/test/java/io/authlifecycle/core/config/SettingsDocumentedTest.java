package io.authlifecycle.core.config;

import io.authlifecycle.core.audit.checkpoint.CheckpointSettings;
import io.authlifecycle.core.hr.StandingRules;
import io.authlifecycle.core.policy.AssurancePolicy;
import io.authlifecycle.core.testing.ReadmeSettings;
import org.junit.jupiter.api.Test;

/** The root README's settings tables are the ones the declarations generate. */
class SettingsDocumentedTest {

  @Test
  void readmeListsTheCoreSettingsAsDeclared() {
    ReadmeSettings.assertDocumented("../README.md", CoreSettings.ALL);
  }

  @Test
  void readmeListsTheAuditCheckpointSettingsAsDeclared() {
    ReadmeSettings.assertDocumented("../README.md", CheckpointSettings.ALL);
  }

  @Test
  void readmeListsThePolicySettingsAsDeclared() {
    ReadmeSettings.assertDocumented("../README.md", AssurancePolicy.SETTINGS);
  }

  @Test
  void readmeListsTheHrStandingSettingsAsDeclared() {
    ReadmeSettings.assertDocumented("../README.md", StandingRules.SETTINGS);
  }
}
