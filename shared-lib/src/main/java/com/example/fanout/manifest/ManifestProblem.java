package com.example.fanout.manifest;

/** One thing wrong with a manifest: where (file and path inside it) and why. */
public record ManifestProblem(String file, String path, String reason) {
  @Override
  public String toString() {
    return file + ": " + (path.isEmpty() ? "" : path + ": ") + reason;
  }
}
