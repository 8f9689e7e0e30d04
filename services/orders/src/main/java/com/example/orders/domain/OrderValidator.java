package com.example.orders.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one validator of order input, shared by the HTTP API and the bulk import. It reports every
 * invalid field at once, never just the first. Its rules are those of the {@code OrderPlaced} v1
 * schema (so a valid request always makes a valid event) plus the API's own: the channel rule and a
 * total that fits a long.
 */
public final class OrderValidator {
  public static final int MAX_ITEMS = 100;
  public static final int MAX_QUANTITY = 1000;
  /** Ten million units of currency per line: far above any real price, far below overflow. */
  public static final long MAX_UNIT_PRICE_CENTS = 1_000_000_000L;

  private static final Pattern SKU = Pattern.compile("^[A-Z0-9][A-Z0-9-]{1,31}$");
  private static final java.util.Set<String> ORDER_FIELDS =
      java.util.Set.of("customerId", "customerEmail", "channel", "items", "currency", "paymentToken", "orderRef");
  private static final java.util.Set<String> ITEM_FIELDS = java.util.Set.of("sku", "quantity", "unitPriceCents");
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cs}\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]");
  private static final Pattern FORMULA_START = Pattern.compile("[=+\\-@]");
  private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");
  // Deliberately conservative (a subset of what RFC 5321 allows), so the schema's "email" format accepts it too.
  private static final Pattern EMAIL = Pattern.compile(
      "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
          + "@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

  public Validation validate(JsonNode body, ChannelRule channelRule) {
    List<FieldError> errors = new ArrayList<>();
    if (body == null || !body.isObject()) {
      errors.add(new FieldError("$", "must be a JSON object"));
      return new Validation.Invalid(errors);
    }
    unknownFields(body, null, ORDER_FIELDS, errors);
    String customerId = text(body, "customerId", 1, 64, errors);
    String email = text(body, "customerEmail", 3, 254, errors);
    if (email != null && !EMAIL.matcher(email).matches()) {
      errors.add(new FieldError("customerEmail", "must be an email address such as ada@example.com"));
      email = null;
    }
    String channel = channel(body, channelRule, errors);
    List<OrderLine> items = items(body.get("items"), errors);
    String currency = text(body, "currency", 3, 3, errors);
    if (currency != null && !CURRENCY.matcher(currency).matches()) {
      errors.add(new FieldError("currency", "must be an ISO 4217 code of three capital letters, such as EUR"));
    }
    String paymentToken = text(body, "paymentToken", 1, 128, errors);
    String orderRef = null;
    if (body.hasNonNull("orderRef")) {
      orderRef = text(body, "orderRef", 1, 64, errors);
    }
    if (errors.isEmpty()) {
      OrderRequest request = new OrderRequest(customerId, email, channel, items, currency, paymentToken, orderRef);
      try {
        request.totalCents();
      } catch (ArithmeticException e) {
        return new Validation.Invalid(List.of(new FieldError("items", "the order total is too large")));
      }
      return new Validation.Valid(request);
    }
    return new Validation.Invalid(errors);
  }

  private static String channel(JsonNode body, ChannelRule rule, List<FieldError> errors) {
    JsonNode value = body.get("channel");
    if (!rule.callerChooses() || value == null || value.isNull()) {
      return rule.defaultChannel();
    }
    if (!value.isTextual() || !rule.allowed().contains(value.textValue())) {
      errors.add(new FieldError("channel", "must be one of " + String.join(", ", rule.allowed().stream().sorted().toList())));
      return null;
    }
    return value.textValue();
  }

  private static List<OrderLine> items(JsonNode value, List<FieldError> errors) {
    List<OrderLine> lines = new ArrayList<>();
    if (value == null || value.isNull()) {
      errors.add(new FieldError("items", "is required"));
      return lines;
    }
    if (!value.isArray()) {
      errors.add(new FieldError("items", "must be an array of items"));
      return lines;
    }
    if (value.isEmpty()) {
      errors.add(new FieldError("items", "must contain at least one item"));
      return lines;
    }
    if (value.size() > MAX_ITEMS) {
      errors.add(new FieldError("items", "must contain at most " + MAX_ITEMS + " items"));
      return lines;
    }
    for (int i = 0; i < value.size(); i++) {
      String path = "items[" + i + "]";
      JsonNode item = value.get(i);
      if (!item.isObject()) {
        errors.add(new FieldError(path, "must be an object with sku, quantity and unitPriceCents"));
        continue;
      }
      unknownFields(item, path, ITEM_FIELDS, errors);
      String sku = text(item, path, "sku", 2, 32, errors);
      if (sku != null && !SKU.matcher(sku).matches()) {
        errors.add(new FieldError(path + ".sku", "must be 2-32 capital letters, digits or dashes, starting with a letter or digit"));
      }
      Long quantity = integer(item, path, "quantity", 1, MAX_QUANTITY, errors);
      Long unitPrice = integer(item, path, "unitPriceCents", 0, MAX_UNIT_PRICE_CENTS, errors);
      if (sku != null && quantity != null && unitPrice != null) {
        lines.add(new OrderLine(sku, quantity.intValue(), unitPrice));
      }
    }
    return lines;
  }

  /** A field the order does not have is refused, not ignored: {@code "status": "SHIPPED"} must not look accepted. */
  private static void unknownFields(JsonNode node, String parent, java.util.Set<String> allowed, List<FieldError> errors) {
    node.fieldNames().forEachRemaining(name -> {
      if (!allowed.contains(name)) {
        errors.add(new FieldError(parent == null ? name : parent + "." + name,
            "is not a field of " + (parent == null ? "an order" : "an item") + " (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")"));
      }
    });
  }

  private static String text(JsonNode node, String field, int min, int max, List<FieldError> errors) {
    return text(node, null, field, min, max, errors);
  }

  private static String text(JsonNode node, String parent, String field, int min, int max, List<FieldError> errors) {
    String path = parent == null ? field : parent + "." + field;
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      errors.add(new FieldError(path, "is required"));
      return null;
    }
    if (!value.isTextual()) {
      errors.add(new FieldError(path, "must be a string"));
      return null;
    }
    String text = value.textValue();
    if (text.isBlank()) {
      errors.add(new FieldError(path, "must not be blank"));
      return null;
    }
    if (text.length() < min || text.length() > max) {
      errors.add(new FieldError(path, min == max
          ? "must be " + min + " characters long"
          : "must be " + min + "-" + max + " characters long"));
      return null;
    }
    if (text.indexOf('\uFFFD') >= 0) {
      errors.add(new FieldError(path, "contains bytes that are not valid UTF-8"));
      return null;
    }
    if (CONTROL.matcher(text).find()) {
      errors.add(new FieldError(path, "must not contain control characters or unpaired surrogates"));
      return null;
    }
    if (FORMULA_START.matcher(text).lookingAt()) {
      // Orders end up in reports and spreadsheets, where such a cell runs as a formula (CSV injection).
      errors.add(new FieldError(path, "must not start with =, +, -, @ (a spreadsheet would run it as a formula)"));
      return null;
    }
    return text;
  }

  private static Long integer(JsonNode node, String parent, String field, long min, long max, List<FieldError> errors) {
    String path = parent + "." + field;
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      errors.add(new FieldError(path, "is required"));
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      errors.add(new FieldError(path, "must be a whole number"));
      return null;
    }
    long n = value.longValue();
    if (n < min || n > max) {
      errors.add(new FieldError(path, "must be between " + min + " and " + max));
      return null;
    }
    return n;
  }
}
