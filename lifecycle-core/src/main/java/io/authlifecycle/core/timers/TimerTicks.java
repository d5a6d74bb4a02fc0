package io.authlifecycle.core.timers;

import io.authlifecycle.avro.state.TimerEntry;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * Fires a timer index's due timers from wall-clock punctuations: every tick, and every near tick
 * while some timer falls due before the next tick.
 *
 * <p>On the tick alone a timer waits up to a whole tick past its due time. A shorter tick would
 * bound that wait, but every punctuation makes the task commit (one more transaction) even when
 * nothing is due. The near ticks run only while the index's low-water mark is within a tick of
 * now, so an idle worker commits no more often than before, and a due timer waits at most a near
 * tick (plus the commit that makes its output visible).
 */
public final class TimerTicks {

  private final ProcessingContext context;
  private final TimerIndex index;
  private final long tickMillis;
  private final Duration nearTick;
  private final int batch;
  private final Consumer<TimerEntry> onFire;
  private Cancellable near;

  private TimerTicks(ProcessingContext context, TimerIndex index, Duration tick, Duration nearTick, int batch,
      Consumer<TimerEntry> onFire) {
    this.context = context;
    this.index = index;
    this.tickMillis = tick.toMillis();
    this.nearTick = nearTick;
    this.batch = batch;
    this.onFire = onFire;
  }

  /**
   * Schedules the tick on the processor's context. A near tick not shorter than the tick turns
   * the near ticks off.
   */
  public static TimerTicks start(ProcessingContext context, TimerIndex index, Duration tick, Duration nearTick,
      int batch, Consumer<TimerEntry> onFire) {
    TimerTicks ticks = new TimerTicks(context, index, tick, nearTick, batch, onFire);
    context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, ticks::tick);
    return ticks;
  }

  private void tick(long now) {
    index.fireDue(now, batch, onFire);
    watch(now);
  }

  /**
   * Starts the near ticks when a timer may fall due before the next tick, and stops them when
   * none can. Call after an input may have scheduled a timer; each tick calls it itself.
   */
  public void watch(long now) {
    boolean soon = nearTick.toMillis() < tickMillis && index.notDueBefore() < now + tickMillis;
    if (soon && near == null) {
      near = context.schedule(nearTick, PunctuationType.WALL_CLOCK_TIME, this::tick);
    } else if (!soon && near != null) {
      near.cancel();
      near = null;
    }
  }

  /** Whether the near ticks are running; for tests. */
  boolean nearTicking() {
    return near != null;
  }
}
