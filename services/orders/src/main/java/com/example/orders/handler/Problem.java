package com.example.orders.handler;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.example.fanout.event.EventJson;
import com.example.orders.domain.FieldError;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem-details response ({@code application/problem+json}): {@code type}, {@code
 * title}, {@code status}, {@code detail}, {@code instance}, plus {@code errors} (every invalid field)
 * and {@code requestId} (to quote when asking for help).
 */
record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors, String requestId) {
  static final String CONTENT_TYPE = "application/problem+json";
  static final String TYPE_BASE = "https://api.example.com/problems/";

  static final String VALIDATION = TYPE_BASE + "validation-error";
  static final String MALFORMED_REQUEST = TYPE_BASE + "malformed-request";
  static final String IDEMPOTENCY_KEY_REUSED = TYPE_BASE + "idempotency-key-reused";
  static final String ORDER_NOT_FOUND = TYPE_BASE + "order-not-found";
  static final String INVALID_ORDER_ID = TYPE_BASE + "invalid-order-id";
  static final String NO_ROUTE = TYPE_BASE + "no-such-route";
  static final String INTERNAL = TYPE_BASE + "internal-error";
  static final String UNAUTHORIZED = TYPE_BASE + "unauthorized";
  static final String FORBIDDEN = TYPE_BASE + "forbidden";
  static final String PAYLOAD_TOO_LARGE = TYPE_BASE + "payload-too-large";

  Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  String toJson() {
    ObjectNode node = EventJson.mapper().createObjectNode();
    node.put("type", type);
    node.put("title", title);
    node.put("status", status);
    node.put("detail", detail);
    if (instance != null) {
      node.put("instance", instance);
    }
    if (!errors.isEmpty()) {
      ArrayNode list = node.putArray("errors");
      errors.forEach(e -> list.addObject().put("field", e.field()).put("message", e.message()));
    }
    node.put("requestId", requestId);
    return EventJson.write(node);
  }

  APIGatewayV2HTTPResponse toResponse() {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(Map.of("Content-Type", CONTENT_TYPE, "Cache-Control", "no-store"))
        .withBody(toJson())
        .build();
  }
}
