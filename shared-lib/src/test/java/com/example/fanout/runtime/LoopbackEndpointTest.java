package com.example.fanout.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LoopbackEndpointTest {
  @Test
  void aPost_shouldBeAnsweredWithAnEmptyJsonObjectAndTheConnectionClosed_whenItsBodyHasBeenRead() throws IOException {
    List<String> bodies = new CopyOnWriteArrayList<>();
    try (LoopbackEndpoint endpoint = new LoopbackEndpoint(bodies::add)) {
      HttpURLConnection c = (HttpURLConnection) endpoint.endpoint().toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.getOutputStream().write("{\"TableName\":\"prime\"}".getBytes(StandardCharsets.UTF_8));

      assertThat(c.getResponseCode()).isEqualTo(200);
      assertThat(c.getHeaderField("Connection")).isEqualTo("close");
      assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{}");
      assertThat(bodies).containsExactly("{\"TableName\":\"prime\"}");
      assertThat(endpoint.answered()).isEqualTo(1);
    }
  }

  @Test
  void close_shouldLeaveNoListenerAndNoThread_whenAConnectionIsStillOpen() throws IOException {
    URI address;
    Socket idle;
    try (LoopbackEndpoint endpoint = new LoopbackEndpoint(body -> { })) {
      address = endpoint.endpoint();
      idle = new Socket(address.getHost(), address.getPort()); // connected, sends nothing
    }

    assertThat(closedByPeer(idle)).as("the endpoint closed the idle connection, accepted or not").isTrue();
    assertThatThrownBy(() -> new Socket(address.getHost(), address.getPort()).close()).isInstanceOf(ConnectException.class);
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("loopback-endpoint"));
    idle.close();
  }

  /** End of stream, or a reset if the connection was still in the listener's backlog when it closed. */
  private static boolean closedByPeer(Socket socket) throws IOException {
    try {
      return socket.getInputStream().read() == -1;
    } catch (SocketException reset) {
      return true;
    }
  }
}
