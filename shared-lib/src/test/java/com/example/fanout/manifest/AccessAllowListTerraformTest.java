package com.example.fanout.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.testing.Repo;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The manifest loader and Terraform's variable validation allow the same actions in `access`. */
class AccessAllowListTerraformTest {
  private static final Pattern CONTAINS = Pattern.compile("contains\\(\\[((?:\"[a-z0-9]+:[A-Za-z]+\",?\\s*)+)\\], a\\)");

  @Test
  void terraformValidation_shouldAllowTheSameActionsAsTheManifestLoader() throws Exception {
    String variables = Files.readString(Repo.root().resolve("terraform/modules/service/variables.tf"));
    List<Set<String>> lists = new ArrayList<>();
    Matcher m = CONTAINS.matcher(variables);
    while (m.find()) {
      lists.add(new TreeSet<>(Arrays.stream(m.group(1).split(",")).map(s -> s.strip().replace("\"", "")).toList()));
    }

    assertThat(lists).containsExactly(new TreeSet<>(AccessReader.TABLE_ACTIONS), new TreeSet<>(AccessReader.BUCKET_ACTIONS),
        new TreeSet<>(AccessReader.PERMISSION_ACTIONS));
  }
}
