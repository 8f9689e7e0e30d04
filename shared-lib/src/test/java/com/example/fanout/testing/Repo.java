package com.example.fanout.testing;

import java.nio.file.Path;

/** The repository checkout the tests run in (set by surefire as fanout.repo.root). */
public final class Repo {
  private Repo() {}

  public static Path root() {
    return Path.of(System.getProperty("fanout.repo.root", "..")).toAbsolutePath().normalize();
  }

  public static Path services() {
    return root().resolve("services");
  }
}
