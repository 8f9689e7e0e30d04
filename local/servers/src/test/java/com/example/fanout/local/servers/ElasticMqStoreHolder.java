package com.example.fanout.local.servers;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Runs a persisted ElasticMq in its own JVM until stdin closes, for the tests of H2's file lock
 * across processes: prints {@value #READY} and the endpoint once it serves.
 */
public final class ElasticMqStoreHolder {
  static final String READY = "READY ";

  private ElasticMqStoreHolder() {}

  public static void main(String[] args) throws IOException {
    try (ElasticMq server = ElasticMq.start(0, Path.of(args[0]))) {
      System.out.println(READY + server.endpoint());
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the parent closes our stdin
      }
    }
  }
}
