package io.authlifecycle.ctl;

import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Turns {@code --topic NAME} into the registry's topic, listing the known names when it is not one. */
public final class TopicOption implements ITypeConverter<TopicSpec<?>> {

  @Override
  public TopicSpec<?> convert(String name) {
    return Topics.byName(name).orElseThrow(() -> new TypeConversionException(
        "unknown topic '" + name + "'; known topics: "
            + String.join(", ", Topics.allWithDeadLetters().stream().map(TopicSpec::name).toList())));
  }
}
