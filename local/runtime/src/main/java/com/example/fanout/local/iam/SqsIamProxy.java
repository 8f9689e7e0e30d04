package com.example.fanout.local.iam;

import com.example.fanout.local.HttpExchanges;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * ElasticMQ is its own server, so functions reach SQS through this proxy, which authorises each call
 * ({@link SqsProtocol}) and forwards it unchanged. Operators and the runtime's pollers talk to
 * ElasticMQ directly.
 */
public final class SqsIamProxy implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "transfer-encoding", "expect", "upgrade");

  private final URI backend;
  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public SqsIamProxy(URI backend, IamEnforcer enforcer, String region, String account) {
    this.backend = backend;
    this.server = HttpExchanges.server(0);
    server.createContext("/", this::forward).getFilters().add(new IamFilter(enforcer, new SqsProtocol(region, account)));
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void forward(HttpExchange exchange) throws IOException {
    byte[] body = HttpExchanges.body(exchange);
    String pathAndQuery = exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
    HttpRequest.Builder b = HttpRequest.newBuilder(backend.resolve(pathAndQuery))
        .timeout(Duration.ofSeconds(40))
        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((k, values) -> {
      if (!HOP_BY_HOP.contains(k.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> b.header(k, v));
      }
    });
    HttpResponse<byte[]> response;
    try {
      response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted forwarding to ElasticMQ", e);
    }
    response.headers().map().forEach((k, values) -> {
      if (!HOP_BY_HOP.contains(k.toLowerCase(Locale.ROOT)) && !k.equalsIgnoreCase("date") && !k.startsWith(":")) {
        exchange.getResponseHeaders().put(k, values);
      }
    });
    HttpExchanges.send(exchange, response.statusCode(), null, response.body());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
