package com.example.fanout.local.dynamodb;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import software.amazon.event.ruler.Machine;

/**
 * Lambda's FilterCriteria on a stream event-source mapping: Event Ruler patterns matched against the
 * record in its Lambda JSON form ({@code eventName}, {@code dynamodb.Keys/NewImage/OldImage} in
 * DynamoDB JSON). A record no pattern matches is dropped before any invocation, as in AWS, where it
 * costs nothing.
 */
final class StreamFilter {
  static final StreamFilter ALL = new StreamFilter(null);

  private final Machine machine;

  private StreamFilter(Machine machine) {
    this.machine = machine;
  }

  /** @throws IllegalArgumentException naming the pattern Event Ruler rejects */
  static StreamFilter of(List<JsonNode> patterns) {
    if (patterns.isEmpty()) {
      return ALL;
    }
    Machine machine = new Machine();
    for (int i = 0; i < patterns.size(); i++) {
      String pattern = EventJson.write(patterns.get(i));
      try {
        machine.addRule("filter-" + i, pattern);
      } catch (Exception e) {
        throw new IllegalArgumentException("stream filter pattern " + pattern + " is not a valid event pattern: " + e.getMessage(), e);
      }
    }
    return new StreamFilter(machine);
  }

  boolean matches(JsonNode lambdaRecord) {
    if (machine == null) {
      return true;
    }
    try {
      return !machine.rulesForJSONEvent(EventJson.write(lambdaRecord)).isEmpty();
    } catch (Exception e) {
      throw new IllegalStateException("stream record cannot be matched: " + e.getMessage(), e);
    }
  }
}
