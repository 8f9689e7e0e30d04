package com.example.fanout.local.iam;

import java.util.List;
import java.util.Map;

/**
 * One authorisation IAM makes for an API call: the action, the resource ARN and the request's
 * condition keys (e.g. {@code events:source}). A call on several resources (a batch) is several requests.
 */
public record AuthzRequest(String action, String resource, Map<String, List<String>> context) {
  public AuthzRequest {
    context = Map.copyOf(context);
  }

  public AuthzRequest(String action, String resource) {
    this(action, resource, Map.of());
  }
}
