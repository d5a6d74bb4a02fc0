package io.authlifecycle.e2e.bench;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/** Writes maps, lists, numbers, booleans and strings as indented JSON; enough for the benchmark's report. */
final class Json {

  private Json() {}

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, "");
    return out.append('\n').toString();
  }

  private static void write(Object value, StringBuilder out, String indent) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Map<?, ?> map) {
      out.append("{");
      String inner = indent + "  ";
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(first ? "\n" : ",\n").append(inner);
        string(String.valueOf(e.getKey()), out);
        out.append(": ");
        write(e.getValue(), out, inner);
        first = false;
      }
      out.append(first ? "}" : "\n" + indent + "}");
    } else if (value instanceof Collection<?> list) {
      out.append("[");
      boolean first = true;
      for (Object item : list) {
        out.append(first ? "" : ", ");
        write(item, out, indent);
        first = false;
      }
      out.append("]");
    } else if (value instanceof Double d) {
      out.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.3f", d));
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else {
      string(String.valueOf(value), out);
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
