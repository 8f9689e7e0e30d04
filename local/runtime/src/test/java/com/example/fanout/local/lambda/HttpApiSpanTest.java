package com.example.fanout.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpApiSpanTest {
  @Test
  void refOf_shouldTakeTheCreatedResourceId_whenThePostAnswersWithIt() {
    APIGatewayV2HTTPResponse created = APIGatewayV2HTTPResponse.builder().withStatusCode(201)
        .withBody("{\"id\":\"ord_abc12345\",\"status\":\"PLACED\"}").build();

    assertThat(HttpApiServer.refOf(created, Map.of()).correlationId()).isEqualTo("ord_abc12345");
  }

  @Test
  void refOf_shouldPreferTheHeaderThenCorrelationIdThenThePathParameter() {
    APIGatewayV2HTTPResponse withHeader = APIGatewayV2HTTPResponse.builder().withStatusCode(200)
        .withHeaders(Map.of("x-correlation-id", "corr-1")).withBody("{\"id\":\"other\"}").build();
    APIGatewayV2HTTPResponse withField = APIGatewayV2HTTPResponse.builder().withStatusCode(200)
        .withBody("{\"correlationId\":\"corr-2\",\"id\":\"other\"}").build();
    APIGatewayV2HTTPResponse problem = APIGatewayV2HTTPResponse.builder().withStatusCode(404)
        .withBody("{\"type\":\"order-not-found\"}").build();

    assertThat(HttpApiServer.refOf(withHeader, Map.of()).correlationId()).isEqualTo("corr-1");
    assertThat(HttpApiServer.refOf(withField, Map.of()).correlationId()).isEqualTo("corr-2");
    assertThat(HttpApiServer.refOf(problem, Map.of("id", "ord_missing1")).correlationId()).isEqualTo("ord_missing1");
    assertThat(HttpApiServer.refOf(APIGatewayV2HTTPResponse.builder().withStatusCode(204).build(), Map.of()).correlationId()).isNull();
  }
}
