package io.authlifecycle.ingest.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/** A strict plain-JSON reader for bodies that are not SCIM resources: duplicate keys are refused. */
public final class StrictJson {

  public static final ObjectReader READER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .reader();

  private StrictJson() {}
}
