package com.example.fanout.local.ses;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.DataFiles;
import com.example.fanout.local.HttpExchanges;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SES v2 {@code SendEmail} (REST JSON, {@code POST /v2/email/outbound-emails}): nothing leaves the
 * machine; each e-mail is kept in memory and appended to {@code <data dir>/outbox/emails.jsonl}, so
 * the notifications step of the saga completes locally and its output can be read. Started to resume,
 * it first reads that file back, so {@link #sent()} also lists the e-mails of earlier runs.
 */
public final class SesServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SesServer.class);
  private static final String SEND_EMAIL = "/v2/email/outbound-emails";

  private final HttpServer server;
  private final HttpContext context;
  private final Path outbox;
  private final List<SentEmail> sent = new CopyOnWriteArrayList<>();

  /** Appends to {@code <outboxDirectory>/emails.jsonl}; {@link #sent()} lists the e-mails of this server only. */
  public SesServer(int port, Path outboxDirectory) {
    this(port, outboxDirectory, false);
  }

  /**
   * @param resume whether {@link #sent()} starts with the e-mails already in {@code emails.jsonl}, in the
   *     order they were sent; a line that is not an e-mail (the last one cut short when a process was
   *     killed while writing it) is skipped with a warning
   */
  public SesServer(int port, Path outboxDirectory, boolean resume) {
    try {
      Files.createDirectories(outboxDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + outboxDirectory, e);
    }
    this.outbox = outboxDirectory.resolve("emails.jsonl");
    if (resume) {
      resume();
    }
    this.server = HttpExchanges.server(port);
    context = server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public List<SentEmail> sent() {
    return List.copyOf(sent);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = HttpExchanges.body(exchange);
    if (!"POST".equals(exchange.getRequestMethod()) || !SEND_EMAIL.equals(exchange.getRequestURI().getPath())) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", "NotFoundException");
      HttpExchanges.send(exchange, 404, "application/json",
          "{\"message\":\"the local SES serves SendEmail (POST " + SEND_EMAIL + ") only\"}");
      return;
    }
    JsonNode request;
    try {
      request = EventJson.mapper().readTree(body);
    } catch (IOException e) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", "BadRequestException");
      HttpExchanges.send(exchange, 400, "application/json", "{\"message\":\"request body is not JSON\"}");
      return;
    }
    List<String> to = new ArrayList<>();
    request.path("Destination").path("ToAddresses").forEach(a -> to.add(a.asText()));
    JsonNode simple = request.path("Content").path("Simple");
    String text = simple.path("Body").path("Text").path("Data").asText(simple.path("Body").path("Html").path("Data").asText(null));
    SentEmail email = new SentEmail(UUID.randomUUID().toString(), Instant.now(), request.path("FromEmailAddress").asText(null),
        to, simple.path("Subject").path("Data").asText(null), text);
    // Kept and written under one lock, so that sent() and a resumed server list e-mails in the same order.
    synchronized (this) {
      sent.add(email);
      Files.writeString(outbox, EventJson.write(email) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    LOG.info("e-mail kept (not sent) to {}: {}", to, email.subject());
    HttpExchanges.send(exchange, 200, "application/json", "{\"MessageId\":\"" + email.messageId() + "\"}");
  }

  private void resume() {
    if (!Files.exists(outbox)) {
      return;
    }
    try {
      // Decoded leniently: a line cut short may end inside a character.
      List<String> lines = new String(Files.readAllBytes(outbox), StandardCharsets.UTF_8).lines().toList();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode node = EventJson.mapper().readTree(line);
          if (node == null || !node.isObject() || !node.path("messageId").isTextual()) {
            throw new IOException("not an e-mail");
          }
          sent.add(EventJson.mapper().treeToValue(node, SentEmail.class));
        } catch (IOException e) {
          LOG.warn("{} line {} is not an e-mail and is skipped{}: {}", outbox, i + 1,
              i == lines.size() - 1 ? " (cut short when a process stopped while writing it?)" : "", e.getMessage());
        }
      }
      DataFiles.endCutLine(outbox); // the next e-mail is not appended to a cut line and lost with it
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the outbox " + outbox, e);
    }
    LOG.info("{} e-mails of earlier runs read back from {}", sent.size(), outbox);
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
