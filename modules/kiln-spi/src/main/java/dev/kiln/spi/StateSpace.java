package dev.kiln.spi;

/**
 * What a sampler integrates and a model is fed: positions alone (diffusion denoisers, one-step
 * generators) or positions with velocities of the same shape (phase-space models such as AGM,
 * arXiv 2310.07805). An exported model's state space follows from its inputs ({@code x}, or
 * {@code x} and {@code v}).
 */
public enum StateSpace {
  POSITION("position"),
  PHASE_SPACE("position and velocity");

  private final String description;

  StateSpace(String description) {
    this.description = description;
  }

  /** The state space as words, for messages. */
  public String description() {
    return description;
  }
}
