package com.example.orders.handler;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.HashMap;
import java.util.Map;

/** HTTP API (payload 2.0) events as API Gateway sends them. */
final class ApiRequests {
  /** The customer of {@code order-request.json}, signed in. */
  static final String CUSTOMER = "cus_1001";

  private ApiRequests() {}

  /** The event as the JWT authorizer passes it for a token of {@code subject}. */
  static APIGatewayV2HTTPEvent as(String subject, APIGatewayV2HTTPEvent event) {
    event.getRequestContext().setAuthorizer(subject == null ? null : APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
            .withClaims(Map.of("sub", subject, "iss", "https://issuer.example.com", "scope", "orders/read orders/write"))
            .withScopes(java.util.List.of("orders/read", "orders/write"))
            .build())
        .build());
    return event;
  }

  static APIGatewayV2HTTPEvent post(String body, String idempotencyKey) {
    Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/json"));
    if (idempotencyKey != null) {
      headers.put("idempotency-key", idempotencyKey);
    }
    return event("POST", "/orders", "POST /orders", headers, null, body);
  }

  static APIGatewayV2HTTPEvent get(String id) {
    return event("GET", "/orders/" + id, "GET /orders/{id}", Map.of(), Map.of("id", id), null);
  }

  static APIGatewayV2HTTPEvent event(String method, String path, String routeKey, Map<String, String> headers,
      Map<String, String> pathParameters, String body) {
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey(routeKey)
        .withRawPath(path)
        .withHeaders(headers)
        .withPathParameters(pathParameters)
        .withBody(body)
        .withIsBase64Encoded(false)
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
            .withRequestId("req-123")
            .withRouteKey(routeKey)
            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
            .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                    .withClaims(Map.of("sub", CUSTOMER)).withScopes(java.util.List.of("orders/read", "orders/write")).build())
                .build())
            .build())
        .build();
  }
}
