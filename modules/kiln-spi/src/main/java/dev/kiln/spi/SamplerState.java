package dev.kiln.spi;

import dev.kiln.runtime.Tensor;
import java.util.Arrays;

/**
 * The state a sampler hands its model at one step: positions {@code x [N, ...]}, and for
 * phase-space samplers velocities {@code v} of the same shape.
 */
public sealed interface SamplerState permits SamplerState.Position, SamplerState.PhaseSpace {

  /** Positions [N, ...]. */
  Tensor x();

  /** Which kind of state this is. */
  StateSpace space();

  /** The velocities of a phase-space state; an error naming {@code who} for a position state. */
  default Tensor velocity(String who) {
    if (this instanceof PhaseSpace p) {
      return p.v();
    }
    throw new IllegalArgumentException(who + " integrates position and velocity, but was handed positions only");
  }

  /** Positions only. */
  record Position(Tensor x) implements SamplerState {
    @Override
    public StateSpace space() {
      return StateSpace.POSITION;
    }
  }

  /** Positions and velocities of one shape. */
  record PhaseSpace(Tensor x, Tensor v) implements SamplerState {
    public PhaseSpace {
      if (!Arrays.equals(x.shape(), v.shape())) {
        throw new IllegalArgumentException("positions " + Arrays.toString(x.shape()) + " and velocities "
            + Arrays.toString(v.shape()) + " differ in shape");
      }
    }

    @Override
    public StateSpace space() {
      return StateSpace.PHASE_SPACE;
    }
  }
}
