package com.example.fanout.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.example.fanout.event.EventJson;
import com.example.fanout.runtime.FunctionEnvironment;
import java.util.Map;

/**
 * {@code POST /orders} answers 201 with the body; {@code GET /orders/{id}} answers the id with the
 * caller's {@code sub} and scopes from the authorizer context, or 404 for "unknown".
 */
public final class EchoApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private final String table = FunctionEnvironment.table("orders");

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    if (event.getRouteKey().equals("POST /orders")) {
      return respond(201, Map.of("received", event.getBody(), "table", table));
    }
    String id = event.getPathParameters().get("id");
    if (id.equals("unknown")) {
      return respond(404, Map.of("message", "no order " + id));
    }
    var jwt = event.getRequestContext().getAuthorizer().getJwt();
    return respond(200, Map.of("id", id, "remainingMillis", context.getRemainingTimeInMillis(), "function", context.getFunctionName(),
        "sub", jwt.getClaims().get("sub"), "scopes", jwt.getScopes()));
  }

  private static APIGatewayV2HTTPResponse respond(int status, Map<String, Object> body) {
    return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
        .withHeaders(Map.of("Content-Type", "application/json")).withBody(EventJson.write(body)).build();
  }
}
