package com.example.fanout.local.xray;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The X-Ray daemon's UDP side: each datagram is the header line {@code {"format":"json","version":1}},
 * a newline, then one segment document (a segment, or an independent subsegment), as the X-Ray SDKs
 * send them to {@code AWS_XRAY_DAEMON_ADDRESS}. Documents go to the {@link TraceStore}; a malformed
 * datagram is counted and logged, never fatal.
 */
public final class XRayDaemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(XRayDaemon.class);
  static final String HEADER = "{\"format\":\"json\",\"version\":1}";
  private static final int MAX_DATAGRAM = 64 * 1024;

  private final TraceStore store;
  private final DatagramSocket socket;
  private final Thread receiver;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  /** Listens on 127.0.0.1:{@code port} (0 for a free one). */
  public XRayDaemon(int port, TraceStore store) {
    this.store = store;
    try {
      this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (SocketException e) {
      throw new UncheckedIOException("cannot listen for segments on UDP port " + port, e);
    }
    this.receiver = Thread.ofPlatform().daemon().name("xray-daemon").start(this::receive);
  }

  /** {@code 127.0.0.1:port}, the value of {@code AWS_XRAY_DAEMON_ADDRESS}. */
  public String address() {
    return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  public int port() {
    return socket.getLocalPort();
  }

  public long received() {
    return received.get();
  }

  public long rejected() {
    return rejected.get();
  }

  private void receive() {
    byte[] buffer = new byte[MAX_DATAGRAM];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (IOException e) {
        if (!socket.isClosed()) {
          LOG.warn("X-Ray daemon: receive failed: {}", e.toString());
        }
        continue;
      }
      accept(new String(packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8));
    }
  }

  /** One datagram's text: the header line, a newline, the document. */
  void accept(String datagram) {
    try {
      int newline = datagram.indexOf('\n');
      if (newline < 0) {
        throw new IllegalArgumentException("no header line");
      }
      JsonNode header = EventJson.parse(datagram.substring(0, newline));
      if (!"json".equals(header.path("format").asText()) || header.path("version").asInt() != 1) {
        throw new IllegalArgumentException("header is not " + HEADER + ": " + datagram.substring(0, newline));
      }
      store.put(TraceStore.parseDocument(datagram.substring(newline + 1)));
      received.incrementAndGet();
    } catch (RuntimeException e) {
      rejected.incrementAndGet();
      LOG.warn("X-Ray daemon: datagram rejected ({}): {}", e.getMessage(),
          datagram.length() > 200 ? datagram.substring(0, 200) + "..." : datagram);
    }
  }

  @Override
  public void close() {
    socket.close();
    receiver.interrupt();
  }
}
