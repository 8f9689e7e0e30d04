package com.example.fanout.local.alarms;

/** CloudWatch's alarm states. */
public enum AlarmState {
  OK,
  ALARM,
  INSUFFICIENT_DATA
}
