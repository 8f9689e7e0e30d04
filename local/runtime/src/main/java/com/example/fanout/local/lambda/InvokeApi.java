package com.example.fanout.local.lambda;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.HttpExchanges;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Lambda's {@code Invoke} ({@code POST /2015-03-31/functions/{FunctionName}/invocations}) for the
 * local functions, what {@code fanout dlq redrive} and {@code aws lambda invoke} call through
 * {@code AWS_ENDPOINT_URL_LAMBDA}. {@code RequestResponse} runs the handler and answers its result;
 * a handler failure answers 200 with {@code X-Amz-Function-Error: Unhandled} and Lambda's error
 * body; {@code DryRun} answers 204; {@code Event} is refused, as the runtime emulates no async
 * invocation queue. The function may be named by name, ARN or partial ARN, unqualified or with the
 * alias {@value FunctionArns#ALIAS} or {@code $LATEST}.
 */
public final class InvokeApi {
  public static final String PATH = "/2015-03-31/functions/";
  private static final String INVOCATIONS = "/invocations";

  private final Function<String, LocalFunction> functions;

  public InvokeApi(Function<String, LocalFunction> functionsByName) {
    this.functions = Objects.requireNonNull(functionsByName, "functionsByName");
  }

  public void handle(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    String path = exchange.getRequestURI().getRawPath();
    if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith(INVOCATIONS)) {
      error(exchange, 404, "UnknownOperationException", "only Invoke (POST " + PATH + "{FunctionName}" + INVOCATIONS + ") is served");
      return;
    }
    String requested = java.net.URLDecoder.decode(path.substring(PATH.length(), path.length() - INVOCATIONS.length()), StandardCharsets.UTF_8);
    String qualifier = HttpExchanges.query(exchange.getRequestURI().getRawQuery()).getOrDefault("Qualifier", FunctionArns.qualifierOf(requested));
    LocalFunction function = functions.apply(FunctionArns.nameOf(requested));
    if (function == null || (qualifier != null && !qualifier.equals(FunctionArns.ALIAS) && !qualifier.equals("$LATEST"))) {
      error(exchange, 404, "ResourceNotFoundException", "Function not found: " + FunctionArns.alias(FunctionArns.nameOf(requested)));
      return;
    }
    String type = Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"), "RequestResponse");
    byte[] payload = HttpExchanges.body(exchange);
    switch (type) {
      case "DryRun" -> HttpExchanges.send(exchange, 204, null, new byte[0]);
      case "RequestResponse" -> invoke(exchange, function, payload);
      default -> error(exchange, 400, "InvalidParameterValueException",
          "the local runtime runs only RequestResponse and DryRun invocations, not " + type);
    }
  }

  private static void invoke(HttpExchange exchange, LocalFunction function, byte[] payload) throws IOException {
    String traceHeader = exchange.getRequestHeaders().getFirst("X-Amzn-Trace-Id");
    exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
    String result;
    try {
      result = function.invokeJson(new String(payload, StandardCharsets.UTF_8), traceHeader);
    } catch (Exception e) {
      exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
      HttpExchanges.send(exchange, 200, "application/json", EventJson.write(Map.of(
          "errorMessage", String.valueOf(e.getMessage()), "errorType", e.getClass().getName())));
      return;
    }
    HttpExchanges.send(exchange, 200, "application/json", result);
  }

  private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
    exchange.getResponseHeaders().set("x-amzn-ErrorType", code);
    HttpExchanges.send(exchange, status, "application/json", EventJson.write(Map.of("Type", "User", "message", message)));
  }
}
