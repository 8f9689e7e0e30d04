package com.example.fanout.local.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.app.OrdersApi.Line;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The orders API behind the local JWT authorizer: scopes per route, and a customer sees only their own orders. */
@ExtendWith(SagaPlatform.Lifecycle.class)
class OrderAuthorizationEndToEndTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> get(String orderId, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(SagaPlatform.get().endpoints().api().resolve("/orders/" + orderId));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anotherCustomersOrder_shouldAnswer404LikeAnUnknownOne_andTheOwnerReadsIt() throws Exception {
    OrdersApi api = SagaPlatform.api();
    String orderId = api.place(OrdersApi.order("cus_owner", "owner@example.com", "web", "tok_visa_ok",
        List.of(new Line("SKU-E2E-HAPPY", 1, 1250))), UUID.randomUUID().toString()).orderId();

    HttpResponse<String> someoneElse = get(orderId, api.bearer("cus_intruder", OrdersApi.READ));
    HttpResponse<String> unknown = get("ord_AAAAAAAAAAAAAAAAAAAA", api.bearer("cus_intruder", OrdersApi.READ));

    assertThat(someoneElse.statusCode()).isEqualTo(404).isEqualTo(unknown.statusCode());
    assertThat(EventJson.parse(someoneElse.body()).get("type")).isEqualTo(EventJson.parse(unknown.body()).get("type"));
    assertThat(someoneElse.body()).doesNotContain("owner@example.com");
    assertThat(api.get(orderId, "cus_owner")).get().extracting(o -> o.get("customerEmail").asText()).isEqualTo("owner@example.com");
  }

  @Test
  void routes_shouldRefuseMissingTokensAndWrongScopes_beforeTheHandlerRuns() throws Exception {
    OrdersApi api = SagaPlatform.api();

    assertThat(get("ord_AAAAAAAAAAAAAAAAAAAA", null).statusCode()).isEqualTo(401);
    assertThat(get("ord_AAAAAAAAAAAAAAAAAAAA", api.bearer("cus_owner", OrdersApi.WRITE)).statusCode()).isEqualTo(403);
    HttpResponse<String> readOnlyPost = HTTP.send(HttpRequest.newBuilder(SagaPlatform.get().endpoints().api().resolve("/orders"))
        .header("Authorization", api.bearer("cus_owner", OrdersApi.READ)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(readOnlyPost.statusCode()).isEqualTo(403);
  }
}
