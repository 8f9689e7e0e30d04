package com.example.fanout.tools;

import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.ServiceManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Renders the topology the manifests describe (bus, one topic per publishing service, one queue
 * per consumer with the event types it receives, every other trigger) as Mermaid, into
 * {@code docs/topology.md}. A test keeps the committed file in step with the manifests.
 */
public final class TopologyDiagram {
  private TopologyDiagram() {}

  public static String render(Catalog catalog) {
    StringBuilder out = new StringBuilder();
    out.append("# Topology\n\n")
        .append("Generated from `services/*/service.yaml` by `make diagrams`; do not edit by hand.\n\n")
        .append("```mermaid\nflowchart LR\n")
        .append("  bus[(EventBridge bus)]\n");
    for (ServiceManifest s : catalog.services()) {
      if (!s.publishes().isEmpty()) {
        out.append("  topic_").append(id(s.service())).append("[[SNS ").append(s.service()).append("-events]]\n");
        out.append("  bus -->|source = ").append(s.source()).append("| topic_").append(id(s.service())).append('\n');
      }
    }
    for (ServiceManifest s : catalog.services()) {
      out.append("  subgraph ").append(id(s.service())).append("[").append(s.service()).append("]\n");
      for (var c : s.consumers()) {
        out.append("    q_").append(id(s.service() + "-" + c.name())).append("[/\"").append(c.name()).append("\"/]\n");
      }
      for (var h : s.http()) {
        out.append("    http_").append(id(s.service() + "-" + h.name())).append("([\"HTTP ")
            .append(h.routes().stream().map(Object::toString).collect(Collectors.joining("<br/>"))).append("\"])\n");
      }
      for (var st : s.streams()) {
        out.append("    stream_").append(id(s.service() + "-" + st.name())).append("{{\"").append(st.name())
            .append(": stream of ").append(st.table()).append("\"}}\n");
      }
      for (var sc : s.schedules()) {
        out.append("    sched_").append(id(s.service() + "-" + sc.name())).append(">\"").append(sc.name()).append(" ")
            .append(sc.expression()).append("\"]\n");
      }
      for (var b : s.buckets()) {
        out.append("    bucket_").append(id(s.service() + "-" + b.name())).append("[(\"S3 ").append(b.name()).append("\")]\n");
      }
      out.append("  end\n");
    }
    for (var subscriber : catalog.subscribers()) {
      for (var sub : catalog.subscriptionsOf(subscriber)) {
        String types = String.join(", ", sub.filterPolicy().get("detail-type").valueStream().map(n -> n.asText()).toList());
        out.append("  topic_").append(id(sub.publisher().service())).append(" -->|").append(types).append("| q_")
            .append(id(subscriber.qualifiedName())).append('\n');
      }
    }
    for (ServiceManifest s : catalog.services()) {
      for (var st : s.streams()) {
        out.append("  stream_").append(id(s.service() + "-" + st.name())).append(" -->|PutEvents| bus\n");
      }
      if (!s.publishes().isEmpty()) {
        for (var c : s.consumers()) {
          out.append("  q_").append(id(s.service() + "-" + c.name())).append(" -.->|emits| bus\n");
        }
        for (var sc : s.schedules()) {
          out.append("  sched_").append(id(s.service() + "-" + sc.name())).append(" -.->|emits| bus\n");
        }
      }
    }
    out.append("```\n\n| service | publishes | consumers (queue: events) |\n|---|---|---|\n");
    for (ServiceManifest s : catalog.services()) {
      out.append("| ").append(s.service()).append(" | ")
          .append(s.publishes().stream().map(p -> p.type() + " v" + p.version()).collect(Collectors.joining(", ")))
          .append(" | ")
          .append(s.consumers().stream().map(c -> c.name() + ": " + String.join(", ", c.on())).collect(Collectors.joining("; ")))
          .append(" |\n");
    }
    return out.toString();
  }

  private static String id(String name) {
    return name.replaceAll("[^A-Za-z0-9]", "_");
  }

  /** {@code make diagrams}: writes docs/topology.md under the repository root given as argument. */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    Files.writeString(root.resolve("docs/topology.md"), render(Catalog.load(root.resolve("services"))));
    System.out.println("wrote " + root.resolve("docs/topology.md"));
  }
}
