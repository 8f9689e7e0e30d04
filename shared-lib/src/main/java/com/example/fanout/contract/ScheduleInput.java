package com.example.fanout.contract;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What EventBridge Scheduler sends a scheduled job's function: a Scheduled Event, as the handlers
 * read it ({@code RequestHandler<ScheduledEvent, ?>}), whose id, time and schedule ARN the scheduler
 * fills in at each run from its context attributes. Terraform sets {@link #TEMPLATE} as the
 * schedule target's input ({@code contract.json}, {@code schedule_input}); the local scheduler fills
 * it in with {@link #render} as EventBridge Scheduler does.
 */
public final class ScheduleInput {
  static final String EXECUTION_ID = "<aws.scheduler.execution-id>";
  static final String SCHEDULED_TIME = "<aws.scheduler.scheduled-time>";
  static final String SCHEDULE_ARN = "<aws.scheduler.schedule-arn>";

  /** Kept as text: Terraform's {@code jsonencode} would escape the attributes' angle brackets, which the scheduler then no longer finds. */
  public static final String TEMPLATE = "{\"version\":\"0\",\"id\":\"" + EXECUTION_ID + "\",\"detail-type\":\"Scheduled Event\","
      + "\"source\":\"aws.scheduler\",\"time\":\"" + SCHEDULED_TIME + "\",\"resources\":[\"" + SCHEDULE_ARN + "\"],\"detail\":{}}";

  private ScheduleInput() {}

  /** A schedule's ARN, which names its group: {@code arn:aws:scheduler:<region>:<account>:schedule/<group>/<name>}. */
  public static String scheduleArn(String region, String account, String group, String name) {
    return "arn:aws:scheduler:" + region + ":" + account + ":schedule/" + group + "/" + name;
  }

  /** The input of one run, as EventBridge Scheduler fills it in. */
  public static String render(String scheduleArn, Instant scheduledTime, String executionId) {
    return TEMPLATE.replace(EXECUTION_ID, executionId)
        .replace(SCHEDULED_TIME, scheduledTime(scheduledTime))
        .replace(SCHEDULE_ARN, scheduleArn);
  }

  /** A run's scheduled time as the scheduler writes it, in the input and in a DLQ message's attributes: to the second. */
  public static String scheduledTime(Instant scheduledTime) {
    return scheduledTime.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
