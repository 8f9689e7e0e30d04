package com.example.orders.domain;

/**
 * One invalid input field: {@code field} is a path into the request ({@code items[0].sku}), {@code
 * message} says what is wrong in words a client developer can act on.
 */
public record FieldError(String field, String message) {}
