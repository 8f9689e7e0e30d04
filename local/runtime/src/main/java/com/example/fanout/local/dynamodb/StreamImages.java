package com.example.fanout.local.dynamodb;

import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** DynamoDB JSON (as the wire protocol carries items) to the Lambda event model's attribute values. */
final class StreamImages {
  private StreamImages() {}

  static Map<String, AttributeValue> item(JsonNode item) {
    if (item == null || item.isNull() || item.isMissingNode()) {
      return null;
    }
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    item.properties().forEach(e -> out.put(e.getKey(), value(e.getValue())));
    return out;
  }

  static AttributeValue value(JsonNode v) {
    AttributeValue a = new AttributeValue();
    if (v.has("S")) {
      a.setS(v.get("S").asText());
    } else if (v.has("N")) {
      a.setN(v.get("N").asText());
    } else if (v.has("B")) {
      a.setB(ByteBuffer.wrap(Base64.getDecoder().decode(v.get("B").asText())));
    } else if (v.has("BOOL")) {
      a.setBOOL(v.get("BOOL").asBoolean());
    } else if (v.has("NULL")) {
      a.setNULL(true);
    } else if (v.has("SS")) {
      a.setSS(texts(v.get("SS")));
    } else if (v.has("NS")) {
      a.setNS(texts(v.get("NS")));
    } else if (v.has("BS")) {
      List<ByteBuffer> bs = new ArrayList<>();
      v.get("BS").forEach(b -> bs.add(ByteBuffer.wrap(Base64.getDecoder().decode(b.asText()))));
      a.setBS(bs);
    } else if (v.has("M")) {
      a.setM(item(v.get("M")));
    } else if (v.has("L")) {
      List<AttributeValue> list = new ArrayList<>();
      v.get("L").forEach(x -> list.add(value(x)));
      a.setL(list);
    }
    return a;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(x -> out.add(x.asText()));
    return out;
  }
}
