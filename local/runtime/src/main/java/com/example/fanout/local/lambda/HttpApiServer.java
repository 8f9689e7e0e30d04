package com.example.fanout.local.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.HttpExchanges;
import com.example.fanout.local.auth.JwtAuthorizer;
import com.example.fanout.local.observability.EventRef;
import com.example.fanout.local.observability.Span;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.manifest.ServiceManifest.Authorization;
import com.example.fanout.manifest.ServiceManifest.Route;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of every service on one port, as API Gateway HTTP API (payload format 2.0) calls
 * Lambda: {@link APIGatewayV2HTTPEvent} in, {@link APIGatewayV2HTTPResponse} out. Unmatched routes
 * answer 404 and a failing handler 500, with API Gateway's bodies. Every route is authorized as its
 * manifest says, before the function runs: {@code jwt} by a {@link JwtAuthorizer} (claims and scopes
 * passed on in {@code requestContext.authorizer.jwt}), {@code iam} by the shape of a SigV4
 * {@code Authorization} header (the signature itself is not verified locally).
 */
public final class HttpApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  /** API Gateway's body for a 5xx it answers itself: the function missing, throttled or failed. */
  private static final String INTERNAL_SERVER_ERROR = "{\"message\":\"Internal Server Error\"}";

  private final HttpServer server;
  private final SpanLog spans;
  private final List<Binding> bindings = new CopyOnWriteArrayList<>();
  private volatile JwtAuthorizer authorizer;
  private volatile java.util.function.BiConsumer<String, Integer> responses = (function, status) -> {};

  public HttpApiServer(int port, SpanLog spans) {
    this.spans = spans;
    this.server = HttpExchanges.server(port);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Who is told of each response, by the name of the API's function (the local CloudWatch's 4xx/5xx counts). */
  public void observe(java.util.function.BiConsumer<String, Integer> value) {
    this.responses = value;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The authorizer of every {@code jwt} route (until set, such routes answer 401). */
  public void authorizeWith(JwtAuthorizer value) {
    this.authorizer = value;
  }

  /** Serves {@code route} with {@code function} (null: the handler is missing, the route answers 502). */
  public void bind(Route route, LocalFunction function, Authorization authorization) {
    bind(route, function, authorization, function == null ? null : function.name());
  }

  /** As {@link #bind(Route, LocalFunction, Authorization)}, for the API named {@code api} (what responses are counted under). */
  public void bind(Route route, LocalFunction function, Authorization authorization, String api) {
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("\\{([^}/]+)}").matcher(route.path());
    StringBuilder regex = new StringBuilder();
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(route.path().substring(last, m.start())));
      String name = m.group(1);
      if (name.endsWith("+")) {
        names.add(name.substring(0, name.length() - 1));
        regex.append("(.+)");
      } else {
        names.add(name);
        regex.append("([^/]+)");
      }
      last = m.end();
    }
    regex.append(Pattern.quote(route.path().substring(last)));
    bindings.add(new Binding(route, Pattern.compile(regex.toString()), names, function, authorization, api));
  }

  public List<Route> routes() {
    return bindings.stream().map(Binding::route).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getRawPath();
    for (Binding b : bindings) {
      Matcher m = b.pattern().matcher(path);
      if (b.route().method().equals(method) && m.matches()) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < b.names().size(); i++) {
          params.put(b.names().get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
        }
        serve(exchange, b, params);
        if (b.api() != null) {
          responses.accept(b.api(), exchange.getResponseCode());
        }
        return;
      }
    }
    HttpExchanges.send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
  }

  private void serve(HttpExchange exchange, Binding binding, Map<String, String> pathParameters) throws IOException {
    APIGatewayV2HTTPEvent.RequestContext.Authorizer caller = authorize(exchange, binding);
    if (caller == null) {
      return;
    }
    if (binding.function() == null) {
      HttpExchanges.send(exchange, 502, "application/json", INTERNAL_SERVER_ERROR);
      return;
    }
    APIGatewayV2HTTPEvent event;
    try {
      event = toEvent(exchange, binding.route(), pathParameters);
    } catch (PayloadTooLargeException e) {
      HttpExchanges.send(exchange, 413, "application/json", "{\"message\":\"Request Entity Too Large\"}");
      return;
    }
    event.getRequestContext().setAuthorizer(caller);
    // Lambda throttles a synchronous invoke beyond the reserved concurrency, and API Gateway answers 500.
    if (!binding.function().executions().tryAcquire()) {
      binding.function().reportThrottle();
      LOG.warn("{} {} throttled: {} is at its reserved concurrency ({})", binding.route().method(), exchange.getRequestURI(),
          binding.function().name(), binding.function().spec().reservedConcurrency());
      HttpExchanges.send(exchange, 500, "application/json", INTERNAL_SERVER_ERROR);
      return;
    }
    Instant start = Instant.now();
    try {
      Object result = binding.function().invoke(event);
      APIGatewayV2HTTPResponse response = result instanceof APIGatewayV2HTTPResponse r ? r
          : EventJson.mapper().convertValue(result, APIGatewayV2HTTPResponse.class);
      spans.record("api", binding.route().toString(), refOf(response, pathParameters), null, start, Instant.now(), Span.OK,
          response.getStatusCode() + " " + exchange.getRequestURI());
      write(exchange, response);
    } catch (Exception e) {
      LOG.warn("{} {} failed in {}: {}", binding.route().method(), exchange.getRequestURI(), binding.function().name(), e.toString());
      HttpExchanges.send(exchange, 500, "application/json", INTERNAL_SERVER_ERROR);
    } finally {
      binding.function().executions().release();
    }
  }

  /**
   * Puts the request on a timeline: the correlation id is the response's {@code X-Correlation-Id}
   * header, else its JSON body's {@code correlationId} or {@code id} (a created resource, e.g. an
   * order), else the {@code {id}} path parameter.
   */
  static EventRef refOf(APIGatewayV2HTTPResponse response, Map<String, String> pathParameters) {
    String correlationId = null;
    if (response.getHeaders() != null) {
      correlationId = response.getHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("X-Correlation-Id"))
          .map(Map.Entry::getValue).findFirst().orElse(null);
    }
    String body = response.getBody();
    if (correlationId == null && body != null && !response.getIsBase64Encoded() && body.startsWith("{")) {
      try {
        com.fasterxml.jackson.databind.JsonNode json = EventJson.parse(body);
        correlationId = json.path("correlationId").isTextual() ? json.get("correlationId").asText()
            : json.path("id").isTextual() ? json.get("id").asText() : null;
      } catch (RuntimeException notJson) {
        // No correlation from the body.
      }
    }
    if (correlationId == null) {
      correlationId = pathParameters.get("id");
    }
    return correlationId == null ? EventRef.UNKNOWN : new EventRef(correlationId, null, null);
  }

  private static void write(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
    if (response.getHeaders() != null) {
      response.getHeaders().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    }
    if (response.getMultiValueHeaders() != null) {
      response.getMultiValueHeaders().forEach((k, v) -> exchange.getResponseHeaders().put(k, v));
    }
    if (response.getCookies() != null) {
      response.getCookies().forEach(c -> exchange.getResponseHeaders().add("Set-Cookie", c));
    }
    String body = response.getBody() == null ? "" : response.getBody();
    byte[] bytes = response.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    String contentType = exchange.getResponseHeaders().containsKey("Content-Type") ? null : "application/json";
    HttpExchanges.send(exchange, response.getStatusCode() == 0 ? 200 : response.getStatusCode(), contentType, bytes);
  }

  private static APIGatewayV2HTTPEvent toEvent(HttpExchange exchange, Route route, Map<String, String> pathParameters) throws IOException {
    URI uri = exchange.getRequestURI();
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> cookies = new ArrayList<>();
    exchange.getRequestHeaders().forEach((k, v) -> {
      if (k.equalsIgnoreCase("cookie")) {
        v.forEach(c -> cookies.addAll(List.of(c.split(";\\s*"))));
      } else {
        headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v));
      }
    });
    Map<String, String> query = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        String k = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
        String v = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
        query.merge(k, v, (a, b) -> a + "," + b);
      }
    }
    byte[] body = HttpExchanges.body(exchange);
    if (body.length > MAX_PAYLOAD_BYTES) {
      throw new PayloadTooLargeException();
    }
    String contentType = headers.getOrDefault("content-type", "");
    boolean text = body.length == 0 || contentType.startsWith("text/") || contentType.contains("json")
        || contentType.contains("xml") || contentType.contains("x-www-form-urlencoded") || contentType.isEmpty();
    Instant now = Instant.now();
    String requestId = UUID.randomUUID().toString();
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey(route.toString())
        .withRawPath(uri.getRawPath())
        .withRawQueryString(uri.getRawQuery() == null ? "" : uri.getRawQuery())
        .withCookies(cookies.isEmpty() ? null : cookies)
        .withHeaders(headers)
        .withQueryStringParameters(query.isEmpty() ? null : query)
        .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
        .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
        .withIsBase64Encoded(!text)
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
            .withAccountId("000000000000")
            .withApiId("local")
            .withDomainName(headers.getOrDefault("host", "127.0.0.1"))
            .withDomainPrefix("local")
            .withStage("$default")
            .withRouteKey(route.toString())
            .withRequestId(requestId)
            .withTime(REQUEST_TIME.format(now))
            .withTimeEpoch(now.toEpochMilli())
            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(route.method())
                .withPath(uri.getRawPath())
                .withProtocol(exchange.getProtocol())
                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                .withUserAgent(headers.get("user-agent"))
                .build())
            .build())
        .build();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** The request context's authorizer part, or null once a refusal has been sent. */
  private APIGatewayV2HTTPEvent.RequestContext.Authorizer authorize(HttpExchange exchange, Binding binding) throws IOException {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (Authorization.IAM.equals(binding.authorization().type())) {
      var sigV4 = header == null ? null : SIGV4.matcher(header);
      if (sigV4 == null || !sigV4.find()) {
        HttpExchanges.send(exchange, 403, "application/json", "{\"message\":\"Missing Authentication Token\"}");
        return null;
      }
      return APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withIam(APIGatewayV2HTTPEvent.RequestContext.IAM.builder()
          .withAccessKey(sigV4.group(1)).withAccountId("000000000000")
          .withUserArn("arn:aws:iam::000000000000:user/" + sigV4.group(1)).build()).build();
    }
    List<String> scopes = binding.authorization().scopesOf(binding.route());
    JwtAuthorizer.Decision decision = authorizer == null ? new JwtAuthorizer.Denied(401, "no authorizer configured")
        : authorizer.authorize(header, scopes);
    if (decision instanceof JwtAuthorizer.Denied denied) {
      LOG.debug("{} {} refused: {} {}", binding.route().method(), exchange.getRequestURI(), denied.status(), denied.reason());
      exchange.getResponseHeaders().set("www-authenticate", denied.wwwAuthenticate(scopes));
      HttpExchanges.send(exchange, denied.status(), "application/json", denied.body());
      return null;
    }
    JwtAuthorizer.Allowed allowed = (JwtAuthorizer.Allowed) decision;
    return APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT
        .builder().withClaims(allowed.claims()).withScopes(allowed.scopes()).build()).build();
  }

  /** API Gateway HTTP APIs refuse request payloads above 10 MB. */
  static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

  private static final class PayloadTooLargeException extends RuntimeException {
    PayloadTooLargeException() {
      super(null, null, false, false);
    }
  }

  private static final Pattern SIGV4 = Pattern.compile("^AWS4-HMAC-SHA256 Credential=([A-Z0-9]{16,128})/");

  private record Binding(Route route, Pattern pattern, List<String> names, LocalFunction function, Authorization authorization,
      String api) {}
}
