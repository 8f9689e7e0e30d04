package com.example.orders.domain;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

/** Reads one JSON document and refuses anything after it ({@code {"a":1} junk} is not JSON). */
public final class StrictJson {
  private static final ObjectReader READER = EventJson.mapper().reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private StrictJson() {}

  public static JsonNode parse(String text) throws JsonProcessingException {
    return READER.readTree(text);
  }
}
