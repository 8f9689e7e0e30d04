package com.example.fanout.local.eventbridge;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.HttpExchanges;
import com.example.fanout.local.sns.SnsApi;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * EventBridge's JSON 1.1 wire protocol for {@code PutEvents} ({@code X-Amz-Target: AWSEvents.PutEvents}),
 * so an unchanged {@code EventBridgeClient} with an endpoint override talks to the local bus. The
 * same endpoint serves SNS {@code Publish}/{@code PublishBatch} on the domain topics ({@link SnsApi}),
 * told apart by its {@code X-Amz-Target} prefix or its form-encoded query protocol.
 */
public final class EventBridgeServer implements AutoCloseable {
  private static final String JSON_11 = "application/x-amz-json-1.1";

  private final HttpServer server;
  private final HttpContext context;
  private final EventBus bus;
  private final SnsApi sns;

  public EventBridgeServer(EventBus bus, int port) {
    this(bus, port, new SnsApi());
  }

  public EventBridgeServer(EventBus bus, int port, SnsApi sns) {
    this.bus = bus;
    this.sns = sns;
    this.server = HttpExchanges.server(port);
    context = server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    try {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      byte[] body = HttpExchanges.body(exchange);
      if ("POST".equals(exchange.getRequestMethod())
          && SnsApi.isSnsRequest(target, exchange.getRequestHeaders().getFirst("Content-Type"))) {
        sns.handle(exchange, body);
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod()) || target == null) {
        error(exchange, 400, "UnknownOperationException", "expected a POST with X-Amz-Target");
        return;
      }
      if (!"AWSEvents.PutEvents".equals(target)) {
        error(exchange, 400, "UnknownOperationException", "the local bus serves AWSEvents.PutEvents only, not " + target);
        return;
      }
      JsonNode request;
      try {
        request = EventJson.mapper().readTree(body);
      } catch (IOException e) {
        error(exchange, 400, "SerializationException", "request body is not JSON");
        return;
      }
      List<EntryResult> results = bus.putEvents(request.get("Entries"));
      ObjectNode response = EventJson.mapper().createObjectNode();
      ArrayNode entries = response.putArray("Entries");
      int failed = 0;
      for (EntryResult r : results) {
        ObjectNode e = entries.addObject();
        if (r.isFailure()) {
          failed++;
          e.put("ErrorCode", r.errorCode());
          e.put("ErrorMessage", r.errorMessage());
        } else {
          e.put("EventId", r.eventId());
        }
      }
      response.put("FailedEntryCount", failed);
      HttpExchanges.send(exchange, 200, JSON_11, EventJson.write(response));
    } catch (PutEventsValidationException e) {
      error(exchange, 400, "ValidationException", e.getMessage());
    } catch (RuntimeException e) {
      error(exchange, 500, "InternalException", e.toString());
    }
  }

  private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
    ObjectNode body = EventJson.mapper().createObjectNode();
    body.put("__type", type);
    body.put("message", message);
    exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
    HttpExchanges.send(exchange, status, JSON_11, EventJson.write(body));
  }

  /** Runs {@code filter} before every request (the local IAM check). */
  public void addFilter(Filter filter) {
    context.getFilters().add(filter);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
