package dev.kiln.spi.process;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** How β_t is spread over the training timesteps; names as in diffusers' {@code beta_schedule}. */
public enum BetaSchedule {
  /** β linear from beta_start to beta_end (DDPM). */
  LINEAR("linear"),
  /** √β linear, then squared (Stable Diffusion). */
  SCALED_LINEAR("scaled_linear"),
  /** ᾱ(t) = cos²(((t/T)+s)/(1+s)·π/2), s = 0.008, β capped at 0.999 (improved DDPM). */
  SQUAREDCOS_CAP_V2("squaredcos_cap_v2");

  private final String id;

  BetaSchedule(String id) {
    this.id = id;
  }

  @JsonValue
  public String id() {
    return id;
  }

  @JsonCreator
  public static BetaSchedule parse(String s) {
    for (BetaSchedule b : values()) {
      if (b.id.equals(s)) {
        return b;
      }
    }
    throw new IllegalArgumentException("beta_schedule must be one of "
        + Arrays.stream(values()).map(BetaSchedule::id).toList() + ", got `" + s + "`");
  }
}
