package com.example.fanout.publish;

import com.example.fanout.event.Envelope;

/**
 * An event EventBridge did not accept after every allowed attempt.
 *
 * @param errorCode EventBridge's per-entry code (e.g. ThrottlingException, InternalFailure) or the
 *                  AWS error code (or SDK exception class) when the whole call failed
 * @param attempts  how many times it was sent
 */
public record FailedEntry(Envelope event, String errorCode, String errorMessage, int attempts) {}
