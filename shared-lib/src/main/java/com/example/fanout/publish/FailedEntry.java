package com.example.fanout.publish;

import com.example.fanout.event.Envelope;

/**
 * An event EventBridge did not accept after every allowed attempt.
 *
 * @param errorCode EventBridge's per-entry code (e.g. ThrottlingException, InternalFailure) or the
 *                  SDK exception's class name when the whole call failed
 * @param attempts  how many times it was sent
 */
public record FailedEntry(Envelope event, String errorCode, String errorMessage, int attempts) {}
