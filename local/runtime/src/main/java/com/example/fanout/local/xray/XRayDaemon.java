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
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
  /**
   * What a burst of documents may queue while the receiver parses: the kernel caps it at {@code
   * net.core.rmem_max}. Its default (208 KiB) holds about a hundred small datagrams, fewer than a
   * warm function sends in a few hundred milliseconds of batches.
   */
  private static final int RECEIVE_BUFFER = 4 * 1024 * 1024;
  /** Starts a datagram {@link #drain} sends itself; no SDK's datagram starts with a NUL. */
  private static final String DRAIN_MARKER = "\0drain:";

  private final TraceStore store;
  private final DatagramSocket socket;
  private final Thread receiver;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final Map<String, CountDownLatch> drains = new ConcurrentHashMap<>();

  /** Listens on 127.0.0.1:{@code port} (0 for a free one). */
  public XRayDaemon(int port, TraceStore store) {
    this.store = store;
    try {
      this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      socket.setReceiveBufferSize(RECEIVE_BUFFER);
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

  /**
   * Returns once every datagram that reached the daemon's socket before this call has been handled
   * ({@link #received()} and {@link #rejected()} count it): the socket queues datagrams in the order
   * they arrive, so a marker sent now is read after all of them. For a reader that counts what a
   * process sent once it has ended, without polling.
   *
   * @throws IllegalStateException if the marker was not read within {@code timeout}
   */
  public void drain(Duration timeout) {
    String token = UUID.randomUUID().toString();
    CountDownLatch read = new CountDownLatch(1);
    drains.put(token, read);
    try {
      byte[] marker = (DRAIN_MARKER + token).getBytes(StandardCharsets.UTF_8);
      socket.send(new DatagramPacket(marker, marker.length, socket.getLocalSocketAddress()));
      if (!read.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the X-Ray daemon did not read its drain marker within " + timeout
            + " (a receive buffer full when it was sent drops it, as it drops any datagram)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot send the drain marker to " + address(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while draining the X-Ray daemon", e);
    } finally {
      drains.remove(token);
    }
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
      String datagram = new String(packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8);
      if (datagram.startsWith(DRAIN_MARKER)) {
        CountDownLatch drain = drains.get(datagram.substring(DRAIN_MARKER.length()));
        if (drain != null) {
          drain.countDown();
        }
        continue;
      }
      accept(datagram);
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
