package com.example.orders.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import com.example.orders.fakes.Fixtures;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class OrderValidatorTest {
  private final OrderValidator validator = new OrderValidator();

  @Test
  void validate_shouldReturnTheRequest_whenEveryFieldIsValid() {
    Validation result = validator.validate(Fixtures.json("order-request.json"), ChannelRule.API);

    assertThat(result).isInstanceOf(Validation.Valid.class);
    OrderRequest request = ((Validation.Valid) result).request();
    assertThat(request.channel()).isEqualTo("web");
    assertThat(request.items()).containsExactly(new OrderLine("SKU-RED-MUG", 2, 1250), new OrderLine("SKU-TEA-100G", 1, 799));
    assertThat(request.totalCents()).isEqualTo(3299);
  }

  @Test
  void validate_shouldListEveryInvalidField_whenManyAreInvalid() {
    Validation result = validator.validate(Fixtures.json("order-request-invalid.json"), ChannelRule.API);

    assertThat(result).isInstanceOf(Validation.Invalid.class);
    assertThat(((Validation.Invalid) result).errors()).extracting(FieldError::field).containsExactly(
        "customerId", "customerEmail", "channel", "items[0].sku", "items[0].quantity", "items[0].unitPriceCents",
        "items[1].quantity", "currency", "paymentToken");
  }

  @Test
  void validate_shouldDefaultTheChannelToApi_whenAbsent() {
    ObjectNode body = Fixtures.json("order-request.json");
    body.remove("channel");

    assertThat(((Validation.Valid) validator.validate(body, ChannelRule.API)).request().channel()).isEqualTo("api");
  }

  @Test
  void validate_shouldRefuseTheImportChannel_whenSentThroughTheApi() {
    ObjectNode body = Fixtures.json("order-request.json").put("channel", "import");

    assertThat(((Validation.Invalid) validator.validate(body, ChannelRule.API)).errors())
        .containsExactly(new FieldError("channel", "must be one of api, mobile, web"));
  }

  @Test
  void validate_shouldForceTheImportChannel_whenImporting() {
    ObjectNode body = Fixtures.json("order-request.json").put("channel", "web");

    assertThat(((Validation.Valid) validator.validate(body, ChannelRule.IMPORT)).request().channel()).isEqualTo("import");
  }

  @Test
  void validate_shouldRefuseTheBody_whenItIsNotAnObject() {
    assertThat(((Validation.Invalid) validator.validate(EventJson.parse("[1]"), ChannelRule.API)).errors())
        .containsExactly(new FieldError("$", "must be a JSON object"));
  }

  @Test
  void validate_shouldRefuseTheItems_whenThereAreNone() {
    ObjectNode body = Fixtures.json("order-request.json");
    body.putArray("items");

    assertThat(((Validation.Invalid) validator.validate(body, ChannelRule.API)).errors())
        .containsExactly(new FieldError("items", "must contain at least one item"));
  }

  @Test
  void validate_shouldRefuseTheItems_whenThereAreMoreThanOneHundred() {
    ObjectNode body = Fixtures.json("order-request.json");
    var items = body.putArray("items");
    for (int i = 0; i < 101; i++) {
      items.addObject().put("sku", "SKU-" + i).put("quantity", 1).put("unitPriceCents", 1);
    }

    assertThat(((Validation.Invalid) validator.validate(body, ChannelRule.API)).errors())
        .containsExactly(new FieldError("items", "must contain at most 100 items"));
  }

  @Test
  void validate_shouldRefuseAFractionalQuantity_whenSentAsADecimal() {
    ObjectNode body = Fixtures.json("order-request.json");
    ((ObjectNode) body.get("items").get(0)).put("quantity", 1.5);

    assertThat(((Validation.Invalid) validator.validate(body, ChannelRule.API)).errors())
        .containsExactly(new FieldError("items[0].quantity", "must be a whole number"));
  }

  @Test
  void validate_shouldAcceptWhatTheOrderPlacedSchemaAccepts_whenValid() {
    OrderRequest request = ((Validation.Valid) validator.validate(Fixtures.json("order-request.json"), ChannelRule.API)).request();
    ObjectNode data = EventJson.mapper().createObjectNode()
        .put("orderId", OrderIds.random()).put("customerId", request.customerId()).put("customerEmail", request.customerEmail())
        .put("channel", request.channel()).put("totalCents", request.totalCents()).put("currency", request.currency())
        .put("paymentToken", request.paymentToken());
    data.set("items", EventJson.tree(request.items()));

    assertThat(Fixtures.schemas().violations("OrderPlaced", 1, data)).isEmpty();
  }

  @Test
  void validate_shouldRefuseFieldsAnOrderDoesNotHave_insteadOfIgnoringThem() {
    ObjectNode body = Fixtures.json("order-request.json");
    body.put("status", "SHIPPED");
    ((ObjectNode) body.get("items").get(0)).put("discountCents", 1250);

    assertThat(((Validation.Invalid) validator.validate(body, ChannelRule.API)).errors()).extracting(FieldError::field)
        .containsExactlyInAnyOrder("status", "items[0].discountCents");
  }

  @Test
  void validate_shouldRefuseFormulasControlCharactersAndBrokenEncodings_inTextFields() {
    ObjectNode body = Fixtures.json("order-request.json");
    body.put("customerId", "=HYPERLINK(\"http://evil.example\")");
    body.put("paymentToken", "tok_\u202Evisa");
    body.put("orderRef", "caf\uFFFD");

    assertThat(((Validation.Invalid) validator.validate(body, ChannelRule.API)).errors())
        .extracting(FieldError::field, FieldError::message).containsExactly(
            org.assertj.core.groups.Tuple.tuple("customerId", "must not start with =, +, -, @ (a spreadsheet would run it as a formula)"),
            org.assertj.core.groups.Tuple.tuple("paymentToken", "must not contain control characters or unpaired surrogates"),
            org.assertj.core.groups.Tuple.tuple("orderRef", "contains bytes that are not valid UTF-8"));
  }
}
