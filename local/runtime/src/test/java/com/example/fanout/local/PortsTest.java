package com.example.fanout.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortsTest {
  @Test
  void freeAndKeepable_shouldPickEightDistinctFreePortsBelowTheEphemeralRange() throws IOException {
    Ports ports = Ports.freeAndKeepable();

    List<Integer> all = List.of(ports.api(), ports.eventBridge(), ports.sqs(), ports.dynamoDb(), ports.s3(), ports.ses(),
        ports.secrets(), ports.control());
    assertThat(all).doesNotHaveDuplicates().allSatisfy(port -> assertThat(port).isGreaterThanOrEqualTo(10_000));
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    if (Files.exists(range)) {
      int ephemeralStart = Integer.parseInt(Files.readAllLines(range).getFirst().trim().split("\\s+")[0]);
      assertThat(all).allSatisfy(port -> assertThat(port).isLessThan(ephemeralStart));
    }
    for (int port : all) {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(socket.getLocalPort()).isEqualTo(port);
      }
    }
  }
}
