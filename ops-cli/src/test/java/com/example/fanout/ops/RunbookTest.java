package com.example.fanout.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the runbook test reads a runbook: block kinds, commands, what a block prints. */
class RunbookTest {
  @TempDir
  Path dir;

  private Runbook read(String text) throws Exception {
    Path file = dir.resolve("Example.md");
    Files.writeString(file, text);
    return Runbook.read(file);
  }

  @Test
  void read_shouldTellTheAlarmPathFromOtherBlocks_andCountItsCommands() throws Exception {
    Runbook r = read("""
        # Example
        ## Diagnosis
        ### From the alarm to the order
        ```sh
        # which DLQ
        fanout queues --service "$SERVICE"     # depth and age
        CID=$(fanout dlq inspect "$SERVICE-$CONSUMER" --max 1 -o json | jq -er '.peeked[0].correlationId')
        aws logs start-query --log-group-name g \\
          --query-string q
        fanout timeline "$CID"
        ```
        ```sh aws-only
        aws xray get-trace-summaries
        ```
        ```sh
        fanout dlq inspect "$SERVICE-$CONSUMER" --max 10
        ```
        """);

    assertThat(r.blocks()).hasSize(3);
    Runbook.Block path = r.blocks().getFirst();
    assertThat(path.alarmPath()).isTrue();
    assertThat(path.section()).isEqualTo("Diagnosis");
    assertThat(path.commands()).containsExactly(
        "fanout queues --service \"$SERVICE\"",
        "CID=$(fanout dlq inspect \"$SERVICE-$CONSUMER\" --max 1 -o json | jq -er '.peeked[0].correlationId')",
        "aws logs start-query --log-group-name g --query-string q",
        "fanout timeline \"$CID\"");
    assertThat(path.prints("fanout dlq inspect")).as("captured by $(...)").isFalse();
    assertThat(path.uses("fanout dlq inspect")).isTrue();
    assertThat(path.prints("fanout timeline")).isTrue();
    assertThat(r.blocks().get(1).awsOnly()).isTrue();
    assertThat(r.blocks().getLast().alarmPath()).as("only the first block under the heading").isFalse();
  }

  @Test
  void read_shouldRefuseAnUnknownBlockKind() {
    assertThatThrownBy(() -> read("## Diagnosis\n```sh local-only\nfanout queues\n```\n"))
        .hasMessageContaining("unknown block kind 'sh local-only'");
  }
}
