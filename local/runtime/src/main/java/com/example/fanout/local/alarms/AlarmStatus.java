package com.example.fanout.local.alarms;

import java.time.Instant;
import java.util.Map;

/** What {@code GET /_local/alarms} and {@code fanout alarms} show of one alarm. */
public record AlarmStatus(String name, String kind, AlarmState state, Instant since, String reason, String namespace,
    String metric, Map<String, String> dimensions, String statistic, int periodSeconds, int evaluationPeriods,
    double threshold, String comparison, String runbook) {}
