package com.example.reporting.domain;

/** Where reports are written (the reports bucket). */
public interface ReportStore {
  void put(String key, String json);
}
