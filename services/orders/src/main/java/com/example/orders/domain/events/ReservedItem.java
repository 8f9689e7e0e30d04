package com.example.orders.domain.events;

/** An item as the inventory and payment events carry it. */
public record ReservedItem(String sku, int quantity) {}
