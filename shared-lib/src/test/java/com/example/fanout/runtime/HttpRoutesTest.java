package com.example.fanout.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRoutesTest {
  private final HttpRoutes<String> routes = HttpRoutes.<String>builder()
      .route("POST /orders", "create")
      .route("GET /orders/{id}", "get")
      .build();

  @Test
  void keys_shouldBeTheRoutesAsTheManifestWritesThem() {
    assertThat(routes.keys()).containsExactly("POST /orders", "GET /orders/{id}");
  }

  @Test
  void match_shouldBindTheDecodedPathParameter_whenAParameterisedRouteMatches() {
    assertThat(routes.match("GET", "/orders/ord%201")).hasValueSatisfying(m -> {
      assertThat(m.key()).isEqualTo("GET /orders/{id}");
      assertThat(m.handler()).isEqualTo("get");
      assertThat(m.pathParameters()).isEqualTo(Map.of("id", "ord 1"));
    });
    assertThat(routes.match("get", "/orders/ord_1/")).map(HttpRoutes.Matched::handler).hasValue("get");
    assertThat(routes.match("POST", "/orders/")).map(HttpRoutes.Matched::handler).hasValue("create");
  }

  @Test
  void match_shouldFindNothing_whenMethodOrSegmentsDiffer() {
    assertThat(routes.match("DELETE", "/orders/ord_1")).isEmpty();
    assertThat(routes.match("GET", "/orders")).isEmpty();
    assertThat(routes.match("GET", "/orders//")).isEmpty();
    assertThat(routes.match("GET", "/orders/ord_1/lines")).isEmpty();
    assertThat(routes.match("POST", "/order")).isEmpty();
    assertThat(routes.match(null, "/orders")).isEmpty();
  }

  @Test
  void route_shouldRefuseTheDeclaration_whenTheKeyIsMalformedOrRepeated() {
    assertThatThrownBy(() -> HttpRoutes.<String>builder().route("get /orders", "x"))
        .hasMessageContaining("a route is \"METHOD /path\", was 'get /orders'");
    assertThatThrownBy(() -> HttpRoutes.<String>builder().route("GET orders", "x")).hasMessageContaining("METHOD /path");
    assertThatThrownBy(() -> HttpRoutes.<String>builder().route("GET /a", "x").route("GET /a", "y"))
        .hasMessageContaining("route GET /a is declared twice");
  }
}
