package dev.kiln.text.planner;

import dev.kiln.spi.process.PredictionType;
import dev.kiln.spi.process.ScheduleConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * PLANNER's continuous cosine process {@code x_τ = α(τ)·x₀ + σ(τ)·ε} with α = cos(πτ/2),
 * σ = sin(πτ/2), τ ∈ [{@value #T_MIN}, {@value #T_MAX}] (the released code's clamp), written as the
 * discrete schedule Kiln's samplers integrate: timestep i ∈ [0, {@value #STEPS}) is τ_i = (i + 1)/
 * {@value #STEPS} clamped to τ ≤ {@value #T_MAX}, so ᾱ_i = α(τ_i)², and the network reads the
 * timestep {@code 1000·τ − 1}, which is i at the grid points. Training draws τ continuously;
 * sampling with DDIM visits the grid.
 */
public final class CosineLatentSchedule {

  /** Training timesteps of the discrete form. */
  public static final int STEPS = 1000;
  public static final double T_MIN = 0.0005;
  public static final double T_MAX = 0.9995;

  private CosineLatentSchedule() {}

  /** α(τ) = cos(πτ/2). */
  public static double alpha(double tau) {
    return Math.cos(Math.PI * tau / 2);
  }

  /** σ(τ) = sin(πτ/2). */
  public static double sigma(double tau) {
    return Math.sin(Math.PI * tau / 2);
  }

  /** The network's time input for τ: {@code 1000·τ − 1}. */
  public static double timestep(double tau) {
    return STEPS * tau - 1;
  }

  /** τ of discrete timestep i. */
  public static double tau(int i) {
    return Math.min((i + 1.0) / STEPS, T_MAX);
  }

  /** The schedule as diffusers' settings: these β_t, x₀ prediction. */
  public static ScheduleConfig config() {
    List<Double> betas = new ArrayList<>(STEPS);
    double prev = 1;
    for (int i = 0; i < STEPS; i++) {
      double ab = alpha(tau(i)) * alpha(tau(i));
      betas.add(1 - ab / prev);
      prev = ab;
    }
    return new ScheduleConfig(STEPS, null, null, null, betas, PredictionType.SAMPLE, null);
  }
}
