package com.example.fanout.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class LoopbackTlsTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:15:30Z");

  @Test
  void certificate_shouldBeASelfSignedV3CertificateFor127001ValidForAnHour() throws GeneralSecurityException {
    X509Certificate certificate = LoopbackTls.create(NOW).certificate();

    certificate.verify(certificate.getPublicKey()); // throws unless self-signed with the key it carries
    assertThat(certificate.getVersion()).isEqualTo(3);
    assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=127.0.0.1");
    assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
    assertThat(certificate.getSubjectAlternativeNames()).containsExactly(List.of(7, "127.0.0.1"));
    assertThat(certificate.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(1)));
    assertThat(certificate.getNotAfter().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(1)).plus(Duration.ofHours(1)));
  }

  @Test
  void anHttpsCall_shouldPassTheJdksCertificateAndHostNameChecks_whenMadeWithTheClientContext() throws Exception {
    LoopbackTls tls = LoopbackTls.create(Instant.now());
    try (LoopbackEndpoint endpoint = new LoopbackEndpoint(request -> { }, tls.serverContext(), 1)) {
      assertThat(endpoint.endpoint().getScheme()).isEqualTo("https");
      HttpsURLConnection c = (HttpsURLConnection) endpoint.endpoint().toURL().openConnection();
      c.setSSLSocketFactory(tls.clientContext().getSocketFactory()); // the JDK's default host-name check stays

      assertThat(c.getResponseCode()).isEqualTo(200);
      assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{}");
      assertThat(c.getServerCertificates()).containsExactly(tls.certificate());
    }
  }

  @Test
  void anHttpsCall_shouldBeRefused_whenMadeWithTheJdksDefaultTrustStore() throws Exception {
    // The identity is trusted by its own client context and nothing else: not by what real calls use.
    LoopbackTls tls = LoopbackTls.create(Instant.now());
    try (LoopbackEndpoint endpoint = new LoopbackEndpoint(request -> { }, tls.serverContext(), 1)) {
      HttpsURLConnection c = (HttpsURLConnection) endpoint.endpoint().toURL().openConnection();

      assertThatThrownBy(c::getResponseCode).isInstanceOf(SSLHandshakeException.class);
      assertThat(endpoint.answered()).isZero();
    }
  }

  @Test
  void create_shouldMakeANewKeyEachTime() throws GeneralSecurityException {
    assertThat(LoopbackTls.create(NOW).certificate().getPublicKey())
        .isNotEqualTo(LoopbackTls.create(NOW).certificate().getPublicKey());
  }
}
