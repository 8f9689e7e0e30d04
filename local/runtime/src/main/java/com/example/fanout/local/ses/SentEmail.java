package com.example.fanout.local.ses;

import java.time.Instant;
import java.util.List;

/** An e-mail a function sent through SES, kept instead of delivered. */
public record SentEmail(String messageId, Instant sentAt, String from, List<String> to, String subject, String body) {}
