package io.authlifecycle.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Avro's JSON form of a record and back, for operators and scripts. */
public final class AvroJson {

  static {
    AvroTrust.ensure();
  }

  private AvroJson() {}

  /** Parses one line of Avro JSON into the given record class; the message says what was wrong. */
  public static <T extends SpecificRecord> T read(Class<T> type, String json) throws IOException {
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = model.getSchema(type);
    SpecificDatumReader<T> reader = new SpecificDatumReader<>(schema, schema, model);
    return reader.read(null, DecoderFactory.get().jsonDecoder(schema, json));
  }

  /** One line of Avro JSON. */
  @SuppressWarnings("unchecked")
  public static String write(SpecificRecord record) {
    try {
      Schema schema = record.getSchema();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      JsonEncoder encoder = EncoderFactory.get().jsonEncoder(schema, out, false);
      SpecificDatumWriter<SpecificRecord> writer =
          new SpecificDatumWriter<>(schema, SpecificData.getForClass(record.getClass()));
      writer.write(record, encoder);
      encoder.flush();
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + record.getSchema().getName() + " as JSON", e);
    }
  }
}
