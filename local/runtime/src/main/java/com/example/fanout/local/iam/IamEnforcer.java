package com.example.fanout.local.iam;

import com.example.fanout.local.iam.PlannedRoles.Role;
import com.example.fanout.local.iam.PolicyEvaluator.Decision;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorises each call a function makes to a local AWS stand-in against that function's planned
 * execution role. A caller is a function when its SigV4 access key id is that function's name
 * (the local runtime gives every function its own); any other key is an operator (tests, the CLI,
 * the runtime itself), which IAM does not restrict here. Records every action each function used.
 */
public final class IamEnforcer {
  private static final Logger LOG = LoggerFactory.getLogger(IamEnforcer.class);

  private final IamMode mode;
  private final PlannedRoles roles;
  private final Set<String> functions;
  private final String account;
  private final Map<String, Set<String>> used = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> denied = new ConcurrentHashMap<>();

  /** @param functions every function the runtime hosts (its access key id is its name) */
  public IamEnforcer(IamMode mode, PlannedRoles roles, Set<String> functions, String account) {
    this.mode = mode;
    this.roles = roles;
    this.functions = Set.copyOf(functions);
    this.account = account;
  }

  public static IamEnforcer off() {
    return new IamEnforcer(IamMode.OFF, PlannedRoles.none(), Set.of(), "000000000000");
  }

  public IamMode mode() {
    return mode;
  }

  public PlannedRoles roles() {
    return roles;
  }

  /**
   * The first of {@code requests} the caller's role refuses, if the call must be refused: only in
   * {@link IamMode#ENFORCE}; in {@link IamMode#WARN} a denial is logged and the call goes on.
   */
  public Optional<Denial> authorize(String accessKeyId, List<AuthzRequest> requests) {
    if (mode == IamMode.OFF || accessKeyId == null || !functions.contains(accessKeyId)) {
      return Optional.empty();
    }
    return check(accessKeyId, accessKeyId, roles.role(accessKeyId).orElse(null), accessKeyId + "-role", requests);
  }

  /**
   * The first of {@code requests} the role EventBridge Scheduler assumes for {@code schedule} refuses,
   * if the call must be refused ({@link IamMode#ENFORCE}). A schedule whose role the Terraform JSON
   * does not hold (no JSON, or a plan that leaves its policy unknown) is not checked. The role's
   * actions are recorded under its name.
   */
  public Optional<Denial> authorizeSchedule(String schedule, List<AuthzRequest> requests) {
    Role role = roles.scheduleRole(schedule).orElse(null);
    if (mode == IamMode.OFF || role == null) {
      return Optional.empty();
    }
    return check(role.roleName(), schedule, role, role.roleName(), requests);
  }

  /**
   * @param principal whom {@link #used} and {@link #denied} record the actions of
   * @param session the assumed role's session name
   * @param role null when Terraform plans none: every request is refused
   */
  private Optional<Denial> check(String principal, String session, Role role, String roleNameIfNone, List<AuthzRequest> requests) {
    for (AuthzRequest request : requests) {
      used.computeIfAbsent(principal, k -> ConcurrentHashMap.newKeySet()).add(request.action());
      if (roles.source() == null) {
        continue; // no plan to check against: the one start-up line said so
      }
      Decision decision = role == null ? new Decision(PolicyEvaluator.Outcome.IMPLICIT_DENY, null)
          : PolicyEvaluator.evaluate(role.statements(), request);
      if (!decision.allowed()) {
        String roleName = role != null ? role.roleName() : roleNameIfNone;
        Denial denial = new Denial(principal, "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + session,
            request.action(), request.resource(), decision.outcome() == PolicyEvaluator.Outcome.EXPLICIT_DENY);
        denied.computeIfAbsent(principal, k -> ConcurrentHashMap.newKeySet()).add(request.action());
        if (mode == IamMode.ENFORCE) {
          LOG.warn("{}{}", denial.logLine(), role == null ? "; Terraform plans no role for it" : "");
          return Optional.of(denial);
        }
        LOG.warn("{} [--iam warn: let through]", denial.logLine());
      }
    }
    return Optional.empty();
  }

  /** Actions each function called (allowed or not), by function; a schedule's role's, by the role's name. */
  public Map<String, Set<String>> used() {
    Map<String, Set<String>> out = new TreeMap<>();
    used.forEach((fn, actions) -> out.put(fn, new TreeSet<>(actions)));
    return out;
  }

  /** Actions each function was refused (or, in warn mode, would have been). */
  public Map<String, Set<String>> denied() {
    Map<String, Set<String>> out = new TreeMap<>();
    denied.forEach((fn, actions) -> out.put(fn, new TreeSet<>(actions)));
    return out;
  }
}
