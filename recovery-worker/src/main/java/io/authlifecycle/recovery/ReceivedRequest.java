package io.authlifecycle.recovery;

import io.authlifecycle.avro.RecoveryChannel;
import io.authlifecycle.avro.RecoveryRequest;

/**
 * A recovery request with the channel it came through, known from its topic (each channel's topic
 * has one writer: the help desk, the self-service portal, the mover), not from its own field.
 */
public record ReceivedRequest(RecoveryChannel channel, RecoveryRequest request) {}
