package com.example.fanout.local.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.contract.ResourceNames;
import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.iam.AuthzRequest;
import com.example.fanout.local.iam.IamMode;
import com.example.fanout.local.iam.SqsProtocol;
import com.example.fanout.local.lambda.FunctionArns;
import com.example.fanout.manifest.ServiceManifest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seam between the scheduled-job module and the local scheduler: every schedule of the
 * reference services has, in the state Terraform applied ({@code make tf-json}), a role that the
 * local runtime reads and that lets EventBridge Scheduler invoke the job's alias and write its DLQ,
 * the two calls each local run makes with it. A module change that renamed the role, the alias or
 * the DLQ would park every run here, as it would on AWS.
 */
@ExtendWith(SagaPlatform.Lifecycle.class)
class PlannedScheduleRolesTest {
  private static final String REGION = "us-east-1";
  private static final String ACCOUNT = "000000000000";

  @Test
  void everySchedule_shouldHaveAPlannedRoleThatMayInvokeItsJobAndWriteItsDlq() {
    LocalPlatform platform = SagaPlatform.get();
    Assumptions.assumeTrue(platform.iam().mode() == IamMode.ENFORCE && platform.iam().roles().source() != null,
        "no applied Terraform state (make tf-json writes it)");
    List<String> checked = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (ServiceManifest m : platform.catalog().services()) {
      for (ServiceManifest.Schedule sc : m.schedules()) {
        String schedule = ResourceNames.function(SagaPlatform.ENV, m.service(), sc.name());
        if (platform.iam().roles().scheduleRole(schedule).isEmpty()) {
          problems.add(schedule + ": no role in the applied state");
          continue;
        }
        platform.iam().authorizeSchedule(schedule, List.of(
                new AuthzRequest("lambda:InvokeFunction", FunctionArns.alias(schedule)),
                new AuthzRequest("sqs:SendMessage", SqsProtocol.queueArn(REGION, ACCOUNT, ResourceNames.dlq(SagaPlatform.ENV, m.service(), sc.name())))))
            .ifPresent(denial -> problems.add(denial.message()));
        checked.add(schedule);
      }
    }
    assertThat(checked).as("schedules of the reference services").contains(SagaPlatform.ENV + "-reporting-daily-report");
    assertThat(problems).isEmpty();
  }
}
