package io.authlifecycle.mover;

import io.authlifecycle.avro.DeviceEvent;
import io.authlifecycle.core.streams.Decision;
import io.authlifecycle.core.streams.DecisionProcessor;
import io.authlifecycle.core.streams.WorkerContext;
import io.authlifecycle.core.topics.Topics;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Device events keyed by device: decoded and validated here (bad ones are dead-lettered and
 * audited under {@code device:<id>} by the base class), good ones forwarded, decoded and keyed by
 * their owner, to the repartition that brings them to the owner's task.
 */
final class DeviceIntakeProcessor extends DecisionProcessor<Void> {

  /** The child node that leads to the repartition. */
  static final String ACCEPTED = "mover-device-accepted";

  DeviceIntakeProcessor(WorkerContext intake) {
    super(intake, List.of(Topics.MDM_DEVICE_EVENTS), null, false);
  }

  @Override
  protected Decision<Void> decide(Void state, String key, SpecificRecord value, Instant now) {
    DeviceEvent event = (DeviceEvent) value;
    forward(ACCEPTED, event.getOwnerSubjectId(), event);
    return Decision.none();
  }
}
