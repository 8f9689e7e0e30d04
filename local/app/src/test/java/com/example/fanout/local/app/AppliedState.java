package com.example.fanout.local.app;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.servers.RepoPaths;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** The state Terraform applied for env {@value #ENV} through the offline provider ({@code make tf-json}), as {@code terraform show -json} writes it. */
final class AppliedState {
  static final String ENV = "dev";

  private AppliedState() {}

  /** Every resource of {@code type}, in any module. Skips the calling test when there is no state. */
  static List<JsonNode> resources(String type) throws IOException {
    Path state = RepoPaths.root().resolve("target/terraform/envs/" + ENV + "/state.json");
    Assumptions.assumeTrue(Files.exists(state), "no " + state + " (make tf-json writes it)");
    List<JsonNode> out = new ArrayList<>();
    collect(EventJson.parse(Files.readString(state)).path("values").path("root_module"), type, out);
    return out;
  }

  private static void collect(JsonNode module, String type, List<JsonNode> out) {
    for (JsonNode r : module.path("resources")) {
      if (r.path("type").asText().equals(type)) {
        out.add(r);
      }
    }
    for (JsonNode child : module.path("child_modules")) {
      collect(child, type, out);
    }
  }
}
