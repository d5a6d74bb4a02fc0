package io.authlifecycle.e2e.bench;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The share of each kind of event in the open-loop load, e.g. {@code used=90,joiner=2,mover=2,leaver=2,device=3,recovery=1}. */
public record Mix(Map<EventKind, Double> shares) {

  public static final String DEFAULT = "used=90,joiner=2,mover=2,leaver=2,device=3,recovery=1";

  /** What the load is made of. */
  public enum EventKind { USED, JOINER, MOVER, LEAVER, DEVICE, RECOVERY }

  /** Parses {@code kind=weight,...}; weights are relative and need not add up to 100. */
  public static Mix parse(String text) {
    Map<EventKind, Double> weights = new EnumMap<>(EventKind.class);
    for (String part : text.split(",")) {
      String[] kv = part.trim().split("=");
      if (kv.length != 2) {
        throw new IllegalArgumentException("--mix: '" + part + "' is not kind=weight");
      }
      EventKind kind;
      try {
        kind = EventKind.valueOf(kv[0].trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--mix: unknown kind '" + kv[0] + "'; kinds: used, joiner, mover, leaver, device, recovery");
      }
      double w = Double.parseDouble(kv[1].trim());
      if (w < 0) {
        throw new IllegalArgumentException("--mix: negative weight for " + kv[0]);
      }
      weights.put(kind, w);
    }
    double sum = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    if (sum <= 0) {
      throw new IllegalArgumentException("--mix: the weights add up to nothing");
    }
    Map<EventKind, Double> shares = new EnumMap<>(EventKind.class);
    weights.forEach((k, w) -> shares.put(k, w / sum));
    return new Mix(shares);
  }

  /** The kind for a uniform draw in [0, 1). */
  public EventKind pick(double u) {
    double acc = 0;
    EventKind last = EventKind.USED;
    for (Map.Entry<EventKind, Double> e : shares.entrySet()) {
      acc += e.getValue();
      last = e.getKey();
      if (u < acc) {
        return e.getKey();
      }
    }
    return last;
  }

  public double share(EventKind kind) {
    return shares.getOrDefault(kind, 0.0);
  }

  @Override
  public String toString() {
    return shares.entrySet().stream().map(e -> e.getKey().name().toLowerCase(Locale.ROOT) + "="
        + String.format(Locale.ROOT, "%.1f%%", 100 * e.getValue())).collect(Collectors.joining(","));
  }
}
