package com.example.fanout.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.auth.LocalIssuer;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The local HTTP API checks tokens as API Gateway's JWT authorizer does, with the manifest's scopes per route. */
@ExtendWith(TestPlatform.Lifecycle.class)
class HttpApiAuthorizationTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> get(String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(TestPlatform.api("/orders/ord_42"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static LocalIssuer issuer() {
    return TestPlatform.get().issuer();
  }

  @Test
  void route_shouldAnswer200WithClaimsAndScopesPassedOn_whenTheTokenIsValidAndHasTheRouteScope() throws Exception {
    HttpResponse<String> response = get(TestPlatform.bearer("cus_7", "orders/read", "profile/read"));

    assertThat(response.statusCode()).isEqualTo(200);
    var body = EventJson.parse(response.body());
    assertThat(body.get("sub").asText()).isEqualTo("cus_7");
    assertThat(body.get("scopes")).extracting(n -> n.asText()).contains("orders/read", "profile/read");
  }

  @Test
  void route_shouldAnswer401_whenTheTokenIsMissing() throws Exception {
    HttpResponse<String> response = get(null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
  }

  @Test
  void route_shouldAnswer401_whenTheTokenHasExpired() throws Exception {
    String expired = LocalIssuer.sign(issuer().signingKey(),
        issuer().claims("cus_7", List.of("orders/read"), Instant.now().minusSeconds(600)).build());

    HttpResponse<String> response = get("Bearer " + expired);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("www-authenticate")).get().asString().contains("invalid_token").containsIgnoringCase("expired");
  }

  @Test
  void route_shouldAnswer401_whenTheTokenIsSignedByAnotherKeyUnderTheIssuersKeyId() throws Exception {
    var stranger = new RSAKeyGenerator(2048).keyID(issuer().signingKey().getKeyID()).algorithm(JWSAlgorithm.RS256).generate();
    String forged = LocalIssuer.sign(stranger, issuer().claims("cus_7", List.of("orders/read"), Instant.now().plusSeconds(600)).build());

    assertThat(get("Bearer " + forged).statusCode()).isEqualTo(401);
  }

  @Test
  void route_shouldAnswer401_whenTheTokenIsForAnotherAudienceOrIssuer() throws Exception {
    JWTClaimsSet otherAudience = new JWTClaimsSet.Builder(issuer().claims("cus_7", List.of("orders/read"), Instant.now().plusSeconds(600)).build())
        .audience("someone-elses-api").build();
    JWTClaimsSet otherIssuer = new JWTClaimsSet.Builder(issuer().claims("cus_7", List.of("orders/read"), Instant.now().plusSeconds(600)).build())
        .issuer("https://evil.example.com").build();

    HttpResponse<String> wrongAudience = get("Bearer " + LocalIssuer.sign(issuer().signingKey(), otherAudience));
    assertThat(wrongAudience.statusCode()).isEqualTo(401);
    assertThat(wrongAudience.headers().firstValue("www-authenticate")).get().asString().contains("audience");
    assertThat(get("Bearer " + LocalIssuer.sign(issuer().signingKey(), otherIssuer)).statusCode()).isEqualTo(401);
  }

  @Test
  void route_shouldAnswer403_whenTheTokenLacksTheRouteScope() throws Exception {
    HttpResponse<String> response = get(TestPlatform.bearer("cus_7", "orders/write"));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).isEqualTo("{\"message\":\"Forbidden\"}");
    assertThat(response.headers().firstValue("www-authenticate")).get().asString()
        .contains("insufficient_scope").contains("scope=\"orders/read\"");
  }

  @Test
  void route_shouldAnswer401_whenTheHeaderIsNotAJwt() throws Exception {
    assertThat(get("Bearer not-a-token").statusCode()).isEqualTo(401);
    assertThat(get("Basic dXNlcjpwYXNz").statusCode()).isEqualTo(401);
  }

  @Test
  void issuer_shouldServeItsJwksAndMintTokens_onTheControlEndpoint() throws Exception {
    var control = TestPlatform.endpoints().control();
    HttpResponse<String> config = HTTP.send(HttpRequest.newBuilder(control.resolve("/_local/auth/.well-known/openid-configuration")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> jwks = HTTP.send(HttpRequest.newBuilder(control.resolve("/_local/auth/.well-known/jwks.json")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(control.resolve("/_local/auth/token?sub=cus_8&scope=orders/read"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(EventJson.parse(config.body()).get("issuer").asText()).isEqualTo(issuer().issuer());
    assertThat(EventJson.parse(jwks.body()).get("keys").get(0).has("d")).as("private part never served").isFalse();
    assertThat(get("Bearer " + EventJson.parse(token.body()).get("access_token").asText()).statusCode()).isEqualTo(200);
  }
}
