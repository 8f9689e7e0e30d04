package com.example.fanout.local.iam;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the local runtime authorises functions' calls: the mode, and the Terraform JSON whose planned
 * roles are the policies (that of environment {@code plannedEnv}, renamed to the local one).
 */
public record IamSettings(IamMode mode, Path terraformJson, String plannedEnv) {
  private static final Logger LOG = LoggerFactory.getLogger(IamSettings.class);
  /** What {@code make tf-json} writes: the mock-applied state of envs/dev. */
  public static final Path DEFAULT_JSON = Path.of("target/terraform/envs/dev/state.json");

  public static IamSettings off() {
    return new IamSettings(IamMode.OFF, null, "dev");
  }

  public static IamSettings of(IamMode mode, Path terraformJson) {
    return new IamSettings(mode, terraformJson, "dev");
  }

  /**
   * The enforcer for these settings. Without the Terraform JSON, says so in one line and records
   * the calls in {@link IamMode#WARN} without checking them: never silently unchecked.
   */
  public IamEnforcer enforcer(Set<String> functions, String localEnv, String account, String region) {
    if (mode == IamMode.OFF) {
      return IamEnforcer.off();
    }
    if (terraformJson == null || !Files.isRegularFile(terraformJson)) {
      LOG.warn("IAM not checked: {} is missing (`make tf-json` writes it); running with --iam warn, calls recorded only",
          terraformJson == null ? "the Terraform JSON" : terraformJson);
      return new IamEnforcer(IamMode.WARN, PlannedRoles.none(), functions, account);
    }
    PlannedRoles roles = PlannedRoles.forLocal(terraformJson, plannedEnv, localEnv, account, region);
    LOG.info("IAM {}: {} functions' roles and {} schedules' roles from {} (env {} as {})", mode.name().toLowerCase(java.util.Locale.ROOT),
        roles.all().size(), roles.schedules().size(), terraformJson, plannedEnv, localEnv);
    return new IamEnforcer(mode, roles, functions, account);
  }
}
