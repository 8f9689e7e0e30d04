package com.example.fanout.local.auth;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.DataFiles;
import com.example.fanout.local.HttpExchanges;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The local OIDC issuer the HTTP API's authorizer trusts: an RSA key kept in
 * {@code <data-dir>/auth/issuer-key.json} (so tokens outlive a restart), its public half served as
 * a JWKS, and dev tokens minted on request. Endpoints under {@code <control>/_local/auth/}:
 * {@code GET .well-known/openid-configuration}, {@code GET .well-known/jwks.json} and
 * {@code POST token?sub=&scope=&ttl=} (what {@code fanout token} calls).
 */
public final class LocalIssuer {
  public static final String PATH = "/_local/auth";
  /** Tokens last an hour unless asked otherwise, as Cognito's access tokens do by default. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);
  private static final Duration MAX_TTL = Duration.ofDays(1);
  private static final Pattern SUBJECT = Pattern.compile("^[A-Za-z0-9._:@|-]{1,128}$");
  private static final Pattern SCOPE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$");

  private final RSAKey key;
  private final String issuer;
  private final String audience;

  /** @param controlEndpoint the runtime's control endpoint; the issuer is {@code <control>/_local/auth} */
  public LocalIssuer(Path keyFile, URI controlEndpoint, String audience) {
    this.key = loadOrCreate(keyFile);
    this.issuer = controlEndpoint.toString().replaceAll("/$", "") + PATH;
    this.audience = audience;
  }

  /** The audience of the local HTTP API: {@code fanout-<env>-api}, as the environments' {@code jwt_audience}. */
  public static String audienceOf(String env) {
    return "fanout-" + env + "-api";
  }

  public String issuer() {
    return issuer;
  }

  public String audience() {
    return audience;
  }

  public URI jwksUri() {
    return URI.create(issuer + "/.well-known/jwks.json");
  }

  /** A signed access token for {@code subject} with {@code scopes}, expiring after {@code ttl}. */
  public String mint(String subject, List<String> scopes, Duration ttl) {
    if (subject == null || !SUBJECT.matcher(subject).matches()) {
      throw new IllegalArgumentException("sub must be 1-128 letters, digits or ._:@|-, was " + subject);
    }
    for (String scope : scopes) {
      if (!SCOPE.matcher(scope).matches()) {
        throw new IllegalArgumentException("scope '" + scope + "' does not match " + SCOPE.pattern());
      }
    }
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("ttl must be between 1 second and " + MAX_TTL.toHours() + " hours, was " + ttl.toSeconds() + " s");
    }
    return sign(key, new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(subject)
        .claim("scope", String.join(" ", scopes)).claim("token_use", "access").jwtID(UUID.randomUUID().toString())
        .issueTime(Date.from(Instant.now())).expirationTime(Date.from(Instant.now().plus(ttl))).build());
  }

  /** Signs {@code claims} with {@code signingKey} (RS256, its key id): the issuer's key, or a stranger's in tests. */
  public static String sign(RSAKey signingKey, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
          .type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(new RSASSASigner(signingKey));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
  }

  /** The claims every token of this issuer carries, for tests that need a token off the usual path. */
  public JWTClaimsSet.Builder claims(String subject, List<String> scopes, Instant expires) {
    return new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(subject)
        .claim("scope", String.join(" ", scopes)).issueTime(Date.from(Instant.now())).expirationTime(Date.from(expires));
  }

  public RSAKey signingKey() {
    return key;
  }

  public String jwks() {
    return new JWKSet(key.toPublicJWK()).toString();
  }

  /** Serves {@code /_local/auth/...} on the control endpoint. */
  public void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath().substring(PATH.length());
    String method = exchange.getRequestMethod();
    try {
      if ("GET".equals(method) && path.equals("/.well-known/jwks.json")) {
        HttpExchanges.send(exchange, 200, "application/json", jwks());
      } else if ("GET".equals(method) && path.equals("/.well-known/openid-configuration")) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("issuer", issuer);
        config.put("jwks_uri", jwksUri().toString());
        config.put("token_endpoint", issuer + "/token");
        config.put("id_token_signing_alg_values_supported", List.of("RS256"));
        HttpExchanges.send(exchange, 200, "application/json", EventJson.write(config));
      } else if ("POST".equals(method) && path.equals("/token")) {
        Map<String, String> query = HttpExchanges.query(exchange.getRequestURI().getRawQuery());
        Duration ttl = query.containsKey("ttl") ? Duration.ofSeconds(Long.parseLong(query.get("ttl"))) : DEFAULT_TTL;
        String scope = query.getOrDefault("scope", "");
        List<String> scopes = scope.isBlank() ? List.of() : List.of(scope.trim().split("\\s+"));
        String token = mint(query.get("sub"), scopes, ttl);
        HttpExchanges.send(exchange, 200, "application/json", EventJson.write(Map.of("access_token", token,
            "token_type", "Bearer", "expires_in", ttl.toSeconds(), "scope", String.join(" ", scopes))));
      } else {
        HttpExchanges.send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
      }
    } catch (IllegalArgumentException e) {
      HttpExchanges.send(exchange, 400, "application/json", EventJson.write(Map.of("message", e.getMessage())));
    }
  }

  private static RSAKey loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return RSAKey.parse(Files.readString(file));
      }
      RSAKey created = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
          .keyIDFromThumbprint(true).generate();
      DataFiles.replace(file, created.toJSONString().getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
      return created;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the local issuer key " + file, e);
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException("the local issuer key " + file + " is not an RSA JWK: delete it to get a new one", e);
    }
  }
}
