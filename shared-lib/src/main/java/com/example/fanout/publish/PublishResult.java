package com.example.fanout.publish;

import java.util.List;

/**
 * What happened to each event of one {@link EventPublisher#publish} call: every event is in exactly
 * one of the two lists.
 *
 * @param publishedIds ids of the events EventBridge accepted, in the order given
 * @param failed       events that still failed when the retry budget ran out, or failed permanently
 * @param calls        PutEvents calls made, retries included
 */
public record PublishResult(List<String> publishedIds, List<FailedEntry> failed, int calls) {
  public PublishResult {
    publishedIds = List.copyOf(publishedIds);
    failed = List.copyOf(failed);
  }

  public boolean allPublished() {
    return failed.isEmpty();
  }

  /** Throws {@link PublishFailedException} unless every event was published. */
  public PublishResult orThrow() {
    if (!failed.isEmpty()) {
      throw new PublishFailedException(this);
    }
    return this;
  }
}
