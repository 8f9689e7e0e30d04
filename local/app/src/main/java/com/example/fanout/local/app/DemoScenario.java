package com.example.fanout.local.app;

import com.example.fanout.local.app.OrdersApi.Line;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One demo order: what it shows and the POST body that makes it happen. */
public record DemoScenario(String name, String expectedStatus, ObjectNode body) {

  /** The mix {@code make run} places, against {@code services/inventory/local/stock.json}. */
  public static List<DemoScenario> mix() {
    return List.of(
        new DemoScenario("happy path", "SHIPPED", OrdersApi.order("cus_1001", "ada@example.com", "web", "tok_visa_ok",
            List.of(new Line("SKU-RED-MUG", 2, 1250)))),
        new DemoScenario("happy path, 2 lines", "SHIPPED", OrdersApi.order("cus_1002", "grace@example.com", "mobile", "tok_visa_ok",
            List.of(new Line("SKU-BLUE-MUG", 1, 1250), new Line("SKU-GREEN-TEAPOT", 1, 3900)))),
        new DemoScenario("out of stock (sold out)", "REJECTED", OrdersApi.order("cus_1003", "linus@example.com", "web", "tok_visa_ok",
            List.of(new Line("SKU-SOLD-OUT", 1, 999)))),
        new DemoScenario("out of stock (2 of 1 vase)", "REJECTED", OrdersApi.order("cus_1004", "barbara@example.com", "api", "tok_visa_ok",
            List.of(new Line("SKU-RARE-VASE", 2, 25000)))),
        new DemoScenario("payment declined", "PAYMENT_FAILED", OrdersApi.order("cus_1005", "edsger@example.com", "web", "tok_decline",
            List.of(new Line("SKU-RED-MUG", 1, 1250)))),
        new DemoScenario("insufficient funds", "PAYMENT_FAILED", OrdersApi.order("cus_1006", "margaret@example.com", "mobile", "tok_insufficient",
            List.of(new Line("SKU-GREEN-TEAPOT", 3, 3900)))));
  }
}
