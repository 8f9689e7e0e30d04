package com.example.fanout.runtime;

import com.example.fanout.event.EventJson;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * An HTTP/1.1 endpoint on 127.0.0.1 that answers every request with 200 and {@code {}}, the
 * smallest answer every AWS JSON-protocol call accepts, except those whose callers need more:
 * {@code PutEvents}, answered with an event id for each entry as EventBridge answers it (a publisher
 * retries entries without one), SQS's {@code SendMessage}, with the digests of what was sent (the
 * SQS client refuses an answer without them; a consumer's DLQ move sends it), and SES v2's
 * {@code SendEmail}, with a message id, and DynamoDB's {@code PutItem} of a claim another execution
 * holds ({@link HeldClaim}), refused with HTTP 400 as DynamoDB refuses it: what
 * {@link SdkPriming} sends its dry calls to, so that they go through the function's real HTTP client
 * without leaving the sandbox. Over TLS
 * when given a server context ({@link LoopbackTls}), so that a client's TLS code runs as against AWS.
 *
 * <p>A connection serves up to {@code requestsPerConnection} requests, kept alive as AWS's hosts keep
 * them; the last answer on it says {@code Connection: close}, and so does every answer once {@link
 * #closeAfterEveryAnswer} is called. Nothing stays open or in the JDK's keep-alive cache once a
 * client's last request was answered that way ({@link #openConnections} is then 0) and the endpoint
 * is closed (before a snapshot). Not a general server: no chunked bodies, a thread per connection.
 */
public final class LoopbackEndpoint implements AutoCloseable {
  private static final String PUT_EVENTS = "AWSEvents.PutEvents";
  private static final String SEND_MESSAGE = "AmazonSQS.SendMessage";
  private static final String SEND_EMAIL = "POST /v2/email/outbound-emails ";

  /** How long a connection may wait for a request before it is dropped. */
  private static final int READ_TIMEOUT_MILLIS = 5_000;

  private final ServerSocket server;
  private final String scheme;
  private final Consumer<Request> onRequest;
  private final int requestsPerConnection;
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Set<Thread> serving = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closeAfterEveryAnswer;

  /**
   * A request as it was answered: its request line ({@code POST / HTTP/1.1}), its {@code X-Amz-Target}
   * header (the operation of a JSON-protocol call; null for REST and XML calls, whose line names it),
   * and its body.
   */
  public record Request(String line, String target, String body) {}

  /** Over plain HTTP, one request per connection. */
  public LoopbackEndpoint(Consumer<Request> onRequest) throws IOException {
    this(onRequest, null, 1);
  }

  /**
   * @param onRequest given each request before it is answered
   * @param tls the server context to serve HTTPS with, or null for plain HTTP
   * @param requestsPerConnection how many requests a connection serves before it is closed, at least 1
   */
  public LoopbackEndpoint(Consumer<Request> onRequest, SSLContext tls, int requestsPerConnection) throws IOException {
    if (requestsPerConnection < 1) {
      throw new IllegalArgumentException("a connection serves at least one request, not " + requestsPerConnection);
    }
    this.onRequest = onRequest;
    this.requestsPerConnection = requestsPerConnection;
    InetAddress loopback = InetAddress.getLoopbackAddress();
    this.server = tls == null ? new ServerSocket(0, 50, loopback) : tls.getServerSocketFactory().createServerSocket(0, 50, loopback);
    this.scheme = tls == null ? "http" : "https";
    this.acceptor = Thread.ofPlatform().daemon().name("loopback-endpoint").start(this::accept);
  }

  public URI endpoint() {
    return URI.create(scheme + "://127.0.0.1:" + server.getLocalPort());
  }

  /** Requests read and answered (or being answered) so far. */
  public int answered() {
    return answered.get();
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /**
   * Connections still open: kept alive after an answer, or not yet answered. A connection whose
   * answer said {@code Connection: close} is no longer counted once a client has that answer.
   */
  public int openConnections() {
    return open.size();
  }

  /** From now on every answer says {@code Connection: close}, so that a client keeps no connection. */
  public void closeAfterEveryAnswer() {
    closeAfterEveryAnswer = true;
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException closed) {
        continue; // the loop ends if the listener was closed; otherwise a client went away
      }
      open.add(socket);
      connections.incrementAndGet();
      if (server.isClosed()) {
        // Closed after the accept: close() may have looked at the open connections before this one was added.
        closeQuietly(socket);
        return;
      }
      Thread thread = Thread.ofPlatform().daemon().name("loopback-endpoint").unstarted(() -> serve(socket));
      serving.add(thread);
      thread.start();
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      // Without it a TLS handshake stalls on about a third of the connections: the server's flight
      // leaves in several small writes, Nagle holds the later ones until the first is acknowledged,
      // and the client delays that acknowledgement by 40 ms. AWS's hosts send their flight at once.
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      for (int served = 1; ; served++) {
        Head head = readHead(in);
        byte[] body = in.readNBytes((int) Math.max(0, head.contentLength()));
        onRequest.accept(new Request(head.line(), head.target(), new String(body, StandardCharsets.UTF_8)));
        boolean last = served >= requestsPerConnection || closeAfterEveryAnswer;
        // Counted before the answer leaves, so that a client who has it sees the counts.
        answered.incrementAndGet();
        if (last) {
          open.remove(socket);
        }
        out.write(answer(head, body, last ? "close" : "keep-alive"));
        out.flush();
        if (last) {
          return;
        }
      }
    } catch (IOException e) {
      // Closed, a client that went away or one that kept its connection idle too long: nothing to answer.
    } finally {
      open.remove(socket);
      serving.remove(Thread.currentThread());
    }
  }

  private void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Already closed.
    }
    open.remove(socket);
  }

  /** Every answer's body is ASCII, so its length in characters is its {@code Content-Length}. */
  private static byte[] answer(Head request, byte[] requestBody, String connection) {
    Optional<String> refused = HeldClaim.refusal(request.target(), requestBody);
    String body = refused.orElseGet(() -> answerBody(request, requestBody));
    return ("HTTP/1.1 " + (refused.isPresent() ? "400 Bad Request" : "200 OK") + "\r\nContent-Type: application/x-amz-json-1.0\r\n"
        + "Content-Length: " + body.length() + "\r\nConnection: " + connection + "\r\n\r\n" + body)
        .getBytes(StandardCharsets.US_ASCII);
  }

  static String answerBody(Head head, byte[] request) {
    if (PUT_EVENTS.equals(head.target())) {
      return putEventsAnswer(request);
    }
    if (SEND_MESSAGE.equals(head.target())) {
      return sendMessageAnswer(request);
    }
    return head.line().startsWith(SEND_EMAIL) ? "{\"MessageId\":\"prime\"}" : "{}";
  }

  /** Every entry published: an event id each, in the order sent. */
  static String putEventsAnswer(byte[] request) {
    int entries;
    try {
      entries = EventJson.mapper().readTree(request).path("Entries").size();
    } catch (IOException unreadable) {
      entries = 0;
    }
    StringBuilder answer = new StringBuilder("{\"FailedEntryCount\":0,\"Entries\":[");
    for (int i = 0; i < entries; i++) {
      answer.append(i == 0 ? "" : ",").append("{\"EventId\":\"prime-").append(i).append("\"}");
    }
    return answer.append("]}").toString();
  }

  /** The message id and digests of the message sent; none when the request is unreadable, which the client refuses. */
  static String sendMessageAnswer(byte[] request) {
    try {
      return SqsMessageDigests.sendMessageAnswer("prime", EventJson.mapper().readTree(request));
    } catch (IOException | RuntimeException unreadable) {
      return "{}";
    }
  }

  /** A request's line, its {@code X-Amz-Target} (null when none) and its {@code Content-Length} (-1 when none). */
  record Head(String line, String target, long contentLength) {}

  /** Reads a request's line and headers. */
  static Head readHead(InputStream in) throws IOException {
    String requestLine = readLine(in);
    long length = -1;
    String target = null;
    String line;
    while (!(line = readLine(in)).isEmpty()) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(line.substring("content-length:".length()).trim());
      } else if (lower.startsWith("x-amz-target:")) {
        target = line.substring("x-amz-target:".length()).trim();
      }
    }
    return new Head(requestLine, target, length);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c == -1) {
        throw new EOFException("the request ended inside its headers");
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /** Stops accepting and closes any connection still open; returns once the acceptor and every connection's thread have ended. */
  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
    try {
      acceptor.join(1_000);
      for (Thread t : serving) {
        t.join(1_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
