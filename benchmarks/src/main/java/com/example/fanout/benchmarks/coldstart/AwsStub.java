package com.example.fanout.benchmarks.coldstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A loopback endpoint that accepts every AWS JSON-protocol call a consumer makes on its first
 * batch (DynamoDB, EventBridge PutEvents with one id per entry, SQS) with the smallest valid
 * answer, so a cold start measures the function's own work and not a network.
 */
final class AwsStub implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpServer server;

  AwsStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] request = exchange.getRequestBody().readAllBytes();
    String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
    ObjectNode answer = MAPPER.createObjectNode();
    if (target.endsWith(".PutEvents")) {
      JsonNode entries = MAPPER.readTree(request).path("Entries");
      answer.put("FailedEntryCount", 0);
      ArrayNode ids = answer.putArray("Entries");
      entries.forEach(e -> ids.addObject().put("EventId", UUID.randomUUID().toString()));
    }
    byte[] body = MAPPER.writeValueAsString(answer).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
