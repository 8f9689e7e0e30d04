package com.example.fanout.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventNamesTest {
  private static final String ALPHABET = "abz0-..aZA9_ é";

  @ParameterizedTest
  @ValueSource(strings = {"OrderPlaced", "Ab", "A1", "", "A", "orderPlaced", "Order-Placed", "Order Placed", "OrderPlacé", "9Order"})
  void isType_shouldAgreeWithThePattern_onHandPickedNames(String s) {
    assertThat(EventNames.isType(s)).as(s).isEqualTo(EventNames.TYPE.matcher(s).matches());
  }

  @Test
  void isType_shouldAgreeWithThePattern_atTheLengthLimits() {
    for (int length = 1; length <= 66; length++) {
      String s = "O" + "r".repeat(length - 1);
      assertThat(EventNames.isType(s)).as("length " + length).isEqualTo(EventNames.TYPE.matcher(s).matches()).isEqualTo(length >= 2 && length <= 64);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"com.example.orders", "a.b", "a-1.b-2", "com", "", ".com", "com.", "com..orders", "Com.example",
      "1com.example", "com.Example", "com.exa_mple", "-com.example", "com.-example", "com.example.", "a.0"})
  void isSource_shouldAgreeWithThePattern_onHandPickedNames(String s) {
    assertThat(EventNames.isSource(s)).as(s).isEqualTo(EventNames.SOURCE.matcher(s).matches());
  }

  @Test
  void checks_shouldAgreeWithThePatterns_onTwentyThousandRandomStrings() {
    Random random = new Random(20261206);
    int typesMatched = 0;
    int sourcesMatched = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(8);
      for (int i = 0; i < length; i++) {
        s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      String candidate = s.toString();
      boolean type = EventNames.TYPE.matcher(candidate).matches();
      boolean source = EventNames.SOURCE.matcher(candidate).matches();
      assertThat(EventNames.isType(candidate)).as("type '" + candidate + "'").isEqualTo(type);
      assertThat(EventNames.isSource(candidate)).as("source '" + candidate + "'").isEqualTo(source);
      typesMatched += type ? 1 : 0;
      sourcesMatched += source ? 1 : 0;
    }
    // Both outcomes occur, so the agreement is not all on one side.
    assertThat(typesMatched).isGreaterThan(100);
    assertThat(sourcesMatched).isGreaterThan(100);
  }

  @Test
  void isType_andIsSource_shouldRefuseNull() {
    assertThat(EventNames.isType(null)).isFalse();
    assertThat(EventNames.isSource(null)).isFalse();
  }
}
