package com.example.fanout.runtime;

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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * An HTTP/1.1 endpoint on 127.0.0.1 that answers every request with 200 and {@code {}}, the
 * smallest answer every AWS JSON-protocol call accepts: what {@link SdkPriming} sends its dry calls
 * to, so that they go through the function's real HTTP client without leaving the sandbox. Each
 * answer says {@code Connection: close} and the connection is closed after it, so that nothing stays
 * open or in the JDK's keep-alive cache once the endpoint is closed (before a snapshot). Over TLS
 * when given a server context ({@link LoopbackTls}), so that a client's TLS code runs as against AWS.
 * Not a general server: no chunked bodies, one request per connection.
 */
public final class LoopbackEndpoint implements AutoCloseable {
  private static final byte[] ANSWER = ("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n"
      + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII);

  /** How long a connection may wait for a request before it is dropped. */
  private static final int READ_TIMEOUT_MILLIS = 5_000;

  private final ServerSocket server;
  private final String scheme;
  private final Consumer<String> onRequest;
  private final AtomicInteger answered = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  /** @param onRequest given each request's body before it is answered */
  public LoopbackEndpoint(Consumer<String> onRequest) throws IOException {
    this(onRequest, null);
  }

  /**
   * @param onRequest given each request's body before it is answered
   * @param tls the server context to serve HTTPS with, or null for plain HTTP
   */
  public LoopbackEndpoint(Consumer<String> onRequest, SSLContext tls) throws IOException {
    this.onRequest = onRequest;
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

  private void accept() {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        open.add(socket);
        if (server.isClosed()) {
          return; // closed after the accept: close() may have looked at the open connections before this one was added
        }
        answer(socket);
      } catch (IOException e) {
        // Closed, or a client that went away: either way the next connection is served.
      } finally {
        open.removeIf(Socket::isClosed);
      }
    }
  }

  private void answer(Socket socket) throws IOException {
    InputStream in = new BufferedInputStream(socket.getInputStream());
    byte[] body = in.readNBytes((int) Math.max(0, readHead(in)));
    onRequest.accept(new String(body, StandardCharsets.UTF_8));
    answered.incrementAndGet(); // before the answer leaves, so that a caller who has it sees the count
    OutputStream out = socket.getOutputStream();
    out.write(ANSWER);
    out.flush();
  }

  /** Reads a request's line and headers; returns its {@code Content-Length}, or -1 when it has none. */
  static long readHead(InputStream in) throws IOException {
    long length = -1;
    String line;
    while (!(line = readLine(in)).isEmpty()) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(line.substring("content-length:".length()).trim());
      }
    }
    return length;
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

  /** Stops accepting and closes any connection still open; returns once the acceptor has ended. */
  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
    try {
      acceptor.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
