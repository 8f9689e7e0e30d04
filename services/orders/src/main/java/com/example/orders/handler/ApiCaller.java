package com.example.orders.handler;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Optional;

/**
 * Who is calling, as API Gateway's authorizer put it in the request context: a customer (JWT
 * authorizer, {@code requestContext.authorizer.jwt.claims.sub}) or a service (IAM authorizer,
 * SigV4). A customer acts only for themselves; a service for any customer.
 */
record ApiCaller(String customerId, String servicePrincipal) {

  /** Empty when the request carries no authorizer context: no route of the API is open. */
  static Optional<ApiCaller> of(APIGatewayV2HTTPEvent event) {
    var context = event.getRequestContext();
    var authorizer = context == null ? null : context.getAuthorizer();
    if (authorizer == null) {
      return Optional.empty();
    }
    if (authorizer.getJwt() != null && authorizer.getJwt().getClaims() != null) {
      String subject = authorizer.getJwt().getClaims().get("sub");
      return subject == null || subject.isBlank() ? Optional.empty() : Optional.of(new ApiCaller(subject, null));
    }
    if (authorizer.getIam() != null && authorizer.getIam().getUserArn() != null) {
      return Optional.of(new ApiCaller(null, authorizer.getIam().getUserArn()));
    }
    return Optional.empty();
  }

  boolean mayActFor(String customer) {
    return servicePrincipal != null || customerId.equals(customer);
  }
}
