package com.example.fanout.manifest;

import java.util.List;
import java.util.stream.Collectors;

/** One or more manifests are invalid; every problem found is listed, not just the first. */
public class InvalidManifestException extends RuntimeException {
  private final List<ManifestProblem> problems;

  public InvalidManifestException(List<ManifestProblem> problems) {
    super(problems.size() + " manifest problem(s):\n  "
        + problems.stream().map(ManifestProblem::toString).collect(Collectors.joining("\n  ")));
    this.problems = List.copyOf(problems);
  }

  public List<ManifestProblem> problems() {
    return problems;
  }
}
