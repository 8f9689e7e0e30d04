package com.example.fanout.local.lambda;

import com.example.fanout.local.AwsClients;

/**
 * Function ARNs as Lambda writes them in the local account and region: every trigger Terraform
 * creates targets the alias {@value #ALIAS}, so that is the ARN an on-failure record names.
 */
public final class FunctionArns {
  public static final String ALIAS = "live";
  private static final String PREFIX = "arn:aws:lambda:" + AwsClients.REGION.id() + ":" + AwsClients.ACCOUNT + ":function:";

  private FunctionArns() {}

  public static String alias(String functionName) {
    return PREFIX + functionName + ":" + ALIAS;
  }

  /**
   * The function name in any form Lambda's {@code FunctionName} accepts: a name, a name with a
   * qualifier ({@code name:live}), a partial ARN ({@code 123456789012:function:name}) or a full ARN.
   */
  public static String nameOf(String functionName) {
    String rest = functionName;
    int function = rest.indexOf("function:");
    if (function >= 0) {
      rest = rest.substring(function + "function:".length());
    }
    int colon = rest.indexOf(':');
    return colon < 0 ? rest : rest.substring(0, colon);
  }

  /** The qualifier of a qualified name or ARN, or null. */
  public static String qualifierOf(String functionName) {
    String rest = functionName;
    int function = rest.indexOf("function:");
    if (function >= 0) {
      rest = rest.substring(function + "function:".length());
    }
    int colon = rest.indexOf(':');
    return colon < 0 ? null : rest.substring(colon + 1);
  }
}
