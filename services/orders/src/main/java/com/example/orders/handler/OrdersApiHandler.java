package com.example.orders.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.example.fanout.event.EventJson;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.runtime.FunctionRuntime;
import com.example.fanout.runtime.HttpApiHandler;
import com.example.fanout.runtime.HttpRoutes;
import com.example.fanout.runtime.InvocationOutcome;
import com.example.fanout.schema.EventSchemas;
import com.example.orders.domain.ChannelRule;
import com.example.orders.domain.FieldError;
import com.example.orders.domain.InvalidOrderException;
import com.example.orders.domain.Order;
import com.example.orders.domain.OrderIds;
import com.example.orders.domain.OrderJson;
import com.example.orders.domain.OrderPlacement;
import com.example.orders.domain.OrderStore;
import com.example.orders.domain.OrderValidator;
import com.example.orders.domain.Placement;
import com.example.orders.domain.RequestFingerprint;
import com.example.orders.domain.StrictJson;
import com.example.orders.domain.Validation;
import com.example.orders.dynamodb.DynamoDbOrderStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orders HTTP API (API Gateway HTTP API, payload 2.0): {@code POST /orders} and {@code GET
 * /orders/{id}}. Errors are RFC 9457 problem details; an unexpected failure answers 500 with the
 * request id only and is logged in full.
 */
public final class OrdersApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, HttpApiHandler {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final String REPLAYED = "Idempotent-Replayed";
  /** Far above the largest valid order (100 lines), far below what would cost memory to parse. */
  static final int MAX_BODY_CHARS = 64 * 1024;
  private static final Pattern KEY = Pattern.compile("^[\\x21-\\x7E]{1,255}$");
  /** Requests of each route SnapStart priming sends ({@link #primeRequests}). */
  static final int PRIMING_REQUESTS = 50;
  private static final Logger LOG = LoggerFactory.getLogger(OrdersApiHandler.class);

  private final OrderStore store;
  private final OrderValidator validator = new OrderValidator();
  private final OrderPlacement placement;
  private final FunctionRuntime runtime;
  private final HttpRoutes<Route> routes = HttpRoutes.<Route>builder()
      .route("POST /orders", (event, parameters, requestId, caller) -> create(event, requestId, caller))
      .route("GET /orders/{id}", (event, parameters, requestId, caller) ->
          get(orderId(event, parameters), event.getRawPath(), requestId, caller))
      .build();

  /** What runs for one route of {@link #routes}. */
  private interface Route {
    APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Map<String, String> pathParameters, String requestId,
        ApiCaller caller);
  }

  /** Lambda: {@code TABLE_ORDERS} from the function's environment. */
  public OrdersApiHandler() {
    this(FunctionRuntime.fromEnvironment());
  }

  private OrdersApiHandler(FunctionRuntime runtime) {
    this(runtime, new DynamoDbOrderStore(runtime.clients().dynamoDb(), FunctionEnvironment.table("orders")),
        runtime.schemas(), Clock.systemUTC());
    // Every call it makes goes to the orders table through the runtime's clients.
    runtime.primeInvocations(this::primeRequests);
  }

  /** Tests: any store; {@code schemas} may be null to skip the event-schema check. */
  public OrdersApiHandler(OrderStore store, EventSchemas schemas, Clock clock) {
    this(FunctionRuntime.fromEnvironment(), store, schemas, clock);
  }

  private OrdersApiHandler(FunctionRuntime runtime, OrderStore store, EventSchemas schemas, Clock clock) {
    this.runtime = runtime;
    this.store = Objects.requireNonNull(store, "store");
    this.placement = new OrderPlacement(store, schemas, clock);
  }

  /**
   * SnapStart's invoke priming (ADR 0120): {@value #PRIMING_REQUESTS} times, the order of the
   * catalog's OrderPlaced sample posted by its customer with an Idempotency-Key of its own, then read
   * back, through the whole handler. Returns the answers of 5xx.
   */
  int primeRequests(IntFunction<Context> contexts) {
    ObjectNode order = (ObjectNode) EventJson.parse(runtime.schemas().catalog().requireSample("OrderPlaced")).path("data");
    order.remove(List.of("orderId", "totalCents"));
    String customer = order.path("customerId").asText();
    String body = EventJson.write(order);
    int failed = 0;
    for (int i = 0; i < PRIMING_REQUESTS; i++) {
      APIGatewayV2HTTPResponse created = handleRequest(primingRequest("POST /orders", "/orders", customer,
          Map.of("content-type", "application/json", "idempotency-key", "prime-" + i), null, body), contexts.apply(2 * i));
      String id = created.getStatusCode() == 201 ? EventJson.parse(created.getBody()).path("id").asText() : OrderIds.random();
      APIGatewayV2HTTPResponse read = handleRequest(primingRequest("GET /orders/{id}", "/orders/" + id, customer, Map.of(),
          Map.of("id", id), null), contexts.apply(2 * i + 1));
      failed += (created.getStatusCode() >= 500 ? 1 : 0) + (read.getStatusCode() >= 500 ? 1 : 0);
    }
    return failed;
  }

  /** A request as API Gateway passes it once its JWT authorizer has let {@code customer} through. */
  private static APIGatewayV2HTTPEvent primingRequest(String routeKey, String path, String customer,
      Map<String, String> headers, Map<String, String> pathParameters, String body) {
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0").withRouteKey(routeKey).withRawPath(path).withHeaders(headers)
        .withPathParameters(pathParameters).withBody(body).withIsBase64Encoded(false)
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
            .withRouteKey(routeKey)
            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(routeKey.substring(0, routeKey.indexOf(' '))).withPath(path).build())
            .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                    .withClaims(Map.of("sub", customer)).build())
                .build())
            .build())
        .build();
  }

  /** The routes this handler serves; the manifest's {@code routes} must be the same (checked by its manifest test). */
  @Override
  public HttpRoutes<?> routes() {
    return routes;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    String requestId = requestId(event, context);
    return runtime.invoke(context, "http", requestId, () -> handle(event, requestId),
        response -> response.getStatusCode() >= 500 ? InvocationOutcome.failure() : InvocationOutcome.ok());
  }

  private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, String requestId) {
    String method = method(event);
    String path = event.getRawPath() == null ? "" : event.getRawPath();
    try {
      Optional<ApiCaller> caller = ApiCaller.of(event);
      if (caller.isEmpty()) {
        // API Gateway's authorizer lets no request through without a caller; this is the second lock.
        return new Problem(Problem.UNAUTHORIZED, "Unauthorized", 401, "The request carries no authenticated caller.",
            path, null, requestId).toResponse();
      }
      Optional<HttpRoutes.Matched<Route>> route = routes.match(method, path);
      if (route.isPresent()) {
        return route.get().handler().handle(event, route.get().pathParameters(), requestId, caller.get());
      }
      return new Problem(Problem.NO_ROUTE, "Not Found", 404, "No route for " + method + " " + path + ".",
          path, null, requestId).toResponse();
    } catch (RuntimeException e) {
      LOG.error("request {} ({} {}) failed", requestId, method, path, e);
      return new Problem(Problem.INTERNAL, "Internal Server Error", 500,
          "The request could not be completed. Quote the request id when you report it.", null, null, requestId).toResponse();
    }
  }

  private APIGatewayV2HTTPResponse create(APIGatewayV2HTTPEvent event, String requestId, ApiCaller caller) {
    String instance = "/orders";
    String key = header(event, IDEMPOTENCY_KEY);
    if (key != null && !KEY.matcher(key).matches()) {
      return new Problem(Problem.VALIDATION, "Invalid request", 400, "The Idempotency-Key header is invalid.", instance,
          List.of(new FieldError(IDEMPOTENCY_KEY, "must be 1-255 visible ASCII characters")), requestId).toResponse();
    }
    String body = body(event);
    if (body != null && body.length() > MAX_BODY_CHARS) {
      return new Problem(Problem.PAYLOAD_TOO_LARGE, "Payload too large", 413, "The request body has " + body.length()
          + " characters; an order is at most " + MAX_BODY_CHARS + " (" + OrderValidator.MAX_ITEMS + " lines).", instance, null,
          requestId).toResponse();
    }
    if (body == null || body.isBlank()) {
      return new Problem(Problem.MALFORMED_REQUEST, "Malformed request", 400, "The request body is empty; send the order as JSON.",
          instance, null, requestId).toResponse();
    }
    JsonNode json;
    try {
      json = StrictJson.parse(body);
    } catch (JsonProcessingException e) {
      return new Problem(Problem.MALFORMED_REQUEST, "Malformed request", 400,
          "The request body is not valid JSON: " + e.getOriginalMessage(), instance, null, requestId).toResponse();
    }
    Validation validation = validator.validate(json, ChannelRule.API);
    if (validation instanceof Validation.Invalid invalid) {
      return invalid(invalid.errors(), instance, requestId);
    }
    var request = ((Validation.Valid) validation).request();
    if (!caller.mayActFor(request.customerId())) {
      return new Problem(Problem.FORBIDDEN, "Forbidden", 403, "A customer places orders for themselves only.", instance,
          List.of(new FieldError("customerId", "must be the signed-in customer (the token's subject)")), requestId).toResponse();
    }
    String orderId = key == null ? OrderIds.random() : OrderIds.fromIdempotencyKey(request.customerId(), key);
    Placement placed;
    try {
      placed = placement.place(request, orderId, key, RequestFingerprint.of(json), null);
    } catch (InvalidOrderException e) {
      return invalid(e.errors(), instance, requestId);
    }
    return switch (placed) {
      case Placement.Created created -> {
        LOG.info("order {} placed ({} line(s), {} {})", orderId, request.items().size(), request.totalCents(), request.currency());
        yield orderResponse(201, created.order(), Map.of());
      }
      case Placement.Replayed replayed -> {
        LOG.info("order {} replayed for a retried request with the same Idempotency-Key", orderId);
        yield orderResponse(200, replayed.order(), Map.of(REPLAYED, "true"));
      }
      case Placement.KeyReused reused -> new Problem(Problem.IDEMPOTENCY_KEY_REUSED, "Idempotency key already used", 422,
          "This Idempotency-Key was already used for a different request body; use a new key for a new order.",
          instance, null, requestId).toResponse();
    };
  }

  private APIGatewayV2HTTPResponse get(String id, String path, String requestId, ApiCaller caller) {
    if (!OrderIds.isValid(id)) {
      return new Problem(Problem.INVALID_ORDER_ID, "Invalid order id", 400, "'" + truncate(id) + "' is not an order id.", path,
          List.of(new FieldError("id", "must be ord_ followed by 8-40 letters or digits")), requestId).toResponse();
    }
    // Someone else's order answers exactly as an unknown one: the existence of an id is not revealed.
    Optional<Order> order = store.find(id).filter(o -> caller.mayActFor(o.customerId()));
    if (order.isEmpty()) {
      return new Problem(Problem.ORDER_NOT_FOUND, "Order not found", 404, "There is no order " + id + ".", path, null, requestId)
          .toResponse();
    }
    return json(200, OrderJson.write(order.get()), Map.of());
  }

  /** The 201 body exactly as first sent (kept on the item), for a create and for each replay of it. */
  private static APIGatewayV2HTTPResponse orderResponse(int status, Order order, Map<String, String> extraHeaders) {
    String body = order.createdResponse() != null ? order.createdResponse() : OrderJson.write(order);
    Map<String, String> headers = new HashMap<>(extraHeaders);
    headers.put("Location", "/orders/" + order.id());
    return json(status, body, headers);
  }

  private static APIGatewayV2HTTPResponse json(int status, String body, Map<String, String> extraHeaders) {
    Map<String, String> headers = new HashMap<>(extraHeaders);
    headers.put("Content-Type", "application/json");
    headers.put("Cache-Control", "no-store");
    return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers).withBody(body).build();
  }

  private static APIGatewayV2HTTPResponse invalid(List<FieldError> errors, String instance, String requestId) {
    return new Problem(Problem.VALIDATION, "Invalid request", 400,
        errors.size() == 1 ? "1 field is invalid." : errors.size() + " fields are invalid.", instance, errors, requestId)
        .toResponse();
  }

  /** API Gateway's path parameter when it gives one, else the one the route table decoded from the path. */
  private static String orderId(APIGatewayV2HTTPEvent event, Map<String, String> matched) {
    if (event.getPathParameters() != null && event.getPathParameters().get("id") != null) {
      return event.getPathParameters().get("id");
    }
    return matched.get("id");
  }

  private static String method(APIGatewayV2HTTPEvent event) {
    if (event.getRequestContext() != null && event.getRequestContext().getHttp() != null
        && event.getRequestContext().getHttp().getMethod() != null) {
      return event.getRequestContext().getHttp().getMethod().toUpperCase(Locale.ROOT);
    }
    String routeKey = event.getRouteKey();
    return routeKey != null && routeKey.contains(" ") ? routeKey.substring(0, routeKey.indexOf(' ')) : "";
  }

  private static String header(APIGatewayV2HTTPEvent event, String name) {
    if (event.getHeaders() == null) {
      return null;
    }
    for (Map.Entry<String, String> h : event.getHeaders().entrySet()) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  private static String body(APIGatewayV2HTTPEvent event) {
    String body = event.getBody();
    if (body != null && event.getIsBase64Encoded()) {
      return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
    }
    return body;
  }

  private static String requestId(APIGatewayV2HTTPEvent event, Context context) {
    if (event.getRequestContext() != null && event.getRequestContext().getRequestId() != null) {
      return event.getRequestContext().getRequestId();
    }
    if (context != null && context.getAwsRequestId() != null) {
      return context.getAwsRequestId();
    }
    return UUID.randomUUID().toString();
  }

  private static String truncate(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }
}
