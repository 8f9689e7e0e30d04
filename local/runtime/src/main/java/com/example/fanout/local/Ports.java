package com.example.fanout.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Where each endpoint listens on 127.0.0.1; 0 picks a free port. */
public record Ports(int api, int eventBridge, int sqs, int dynamoDb, int s3, int ses, int secrets, int control) {
  public static final Ports FREE = new Ports(0, 0, 0, 0, 0, 0, 0, 0);
  /** The ports {@code make run} uses, so a shell profile can point the AWS CLI at them once. */
  public static final Ports WELL_KNOWN = new Ports(3000, 4010, 9324, 8000, 9000, 4020, 4030, 4000);

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int LOWEST = 10_000;

  /**
   * Ports free now and below the system's ephemeral range, for a platform that will be started again
   * on the same ports. A port {@link #FREE} picks comes from that range, and while the platform is
   * stopped the system may hand it to an outgoing connection of this machine, so the restart finds
   * it taken; a port below the range is never handed out that way.
   */
  public static Ports freeAndKeepable() {
    int ceiling = ephemeralRangeStart();
    List<Integer> picked = new ArrayList<>();
    int start = LOWEST + ThreadLocalRandom.current().nextInt(Math.max(1, ceiling - LOWEST - 1000));
    for (int port = start; picked.size() < 8; port = port + 1 >= ceiling ? LOWEST : port + 1) {
      if (isFree(port)) {
        picked.add(port);
      }
    }
    return new Ports(picked.get(0), picked.get(1), picked.get(2), picked.get(3), picked.get(4), picked.get(5), picked.get(6),
        picked.get(7));
  }

  private static int ephemeralRangeStart() {
    int linuxDefault = 32_768; // the IANA range starts at 49152
    try (var lines = Files.newBufferedReader(EPHEMERAL_RANGE)) {
      // Read as a stream: a /proc file reports size 0, and Files.readString trusts the size.
      int start = Integer.parseInt(lines.readLine().trim().split("\\s+")[0]);
      return start > LOWEST + 1000 ? start : linuxDefault;
    } catch (IOException | RuntimeException notLinux) {
      return linuxDefault;
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
