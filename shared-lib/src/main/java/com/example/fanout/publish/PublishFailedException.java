package com.example.fanout.publish;

import java.util.stream.Collectors;

/** Some events were not published; the result says which and why. Callers may retry those. */
public class PublishFailedException extends RuntimeException {
  private final PublishResult result;

  public PublishFailedException(PublishResult result) {
    super(result.failed().size() + " event(s) not published: " + result.failed().stream()
        .map(f -> f.event().id() + " " + f.event().type() + " (" + f.errorCode() + ": " + f.errorMessage() + ")")
        .collect(Collectors.joining(", ")));
    this.result = result;
  }

  public PublishResult result() {
    return result;
  }
}
