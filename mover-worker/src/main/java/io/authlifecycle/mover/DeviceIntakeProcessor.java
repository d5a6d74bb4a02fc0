package io.authlifecycle.mover;

import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.core.streams.DecisionProcessor;
import io.authlifecycle.core.streams.Outbound;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.topics.TopicSpec;
import io.authlifecycle.core.topics.Topics;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Device events keyed by device: decoded and validated here (bad ones are dead-lettered and
 * audited under {@code device:<id>} by the base class), good ones forwarded unchanged, keyed by
 * their owner, towards the repartition topic that brings them to the owner's task.
 */
final class DeviceIntakeProcessor extends DecisionProcessor {

  private final String byOwnerTopic;

  DeviceIntakeProcessor(WorkerContext intake, String byOwnerTopic) {
    super(intake, List.of(Topics.MDM_DEVICE_EVENTS), false);
    this.byOwnerTopic = byOwnerTopic;
  }

  @Override
  protected void decide(TopicSpec<?> topic, String key, SpecificRecord value, Record<String, byte[]> record) {
    String owner = ((DeviceEvent) value).getOwnerSubjectId();
    context().forward(record.withKey(owner).withValue(new Outbound(byOwnerTopic, owner, record.value())));
  }
}
