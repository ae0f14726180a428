package dev.kiln.diffusion.samplers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import dev.kiln.spi.process.BetaSchedule;
import dev.kiln.spi.process.PredictionType;
import dev.kiln.spi.process.ScheduleConfig;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** diffusers' {@code scheduler_config.json} files load unchanged; bad fields are named. */
class DiffusersConfigTest {

  // As diffusers 0.3x writes them (Stable Diffusion 1.x and SDXL repositories, DDPM CIFAR-10).
  private static final String DDPM = """
      {"_class_name": "DDPMScheduler", "_diffusers_version": "0.30.0", "beta_end": 0.02,
       "beta_schedule": "linear", "beta_start": 0.0001, "clip_sample": true, "clip_sample_range": 1.0,
       "dynamic_thresholding_ratio": 0.995, "num_train_timesteps": 1000, "prediction_type": "epsilon",
       "rescale_betas_zero_snr": false, "sample_max_value": 1.0, "steps_offset": 0, "thresholding": false,
       "timestep_spacing": "leading", "trained_betas": null, "variance_type": "fixed_small"}
      """;

  private static final String DDIM = """
      {"_class_name": "DDIMScheduler", "_diffusers_version": "0.30.0", "beta_end": 0.012,
       "beta_schedule": "scaled_linear", "beta_start": 0.00085, "clip_sample": false, "clip_sample_range": 1.0,
       "dynamic_thresholding_ratio": 0.995, "num_train_timesteps": 1000, "prediction_type": "epsilon",
       "rescale_betas_zero_snr": false, "sample_max_value": 1.0, "set_alpha_to_one": false, "steps_offset": 1,
       "thresholding": false, "timestep_spacing": "leading", "trained_betas": null}
      """;

  private static final String EULER = """
      {"_class_name": "EulerDiscreteScheduler", "_diffusers_version": "0.30.0", "beta_end": 0.012,
       "beta_schedule": "scaled_linear", "beta_start": 0.00085, "final_sigmas_type": "zero",
       "interpolation_type": "linear", "num_train_timesteps": 1000, "prediction_type": "epsilon",
       "rescale_betas_zero_snr": false, "sigma_max": null, "sigma_min": null, "steps_offset": 1,
       "timestep_spacing": "leading", "timestep_type": "discrete", "trained_betas": null,
       "use_beta_sigmas": false, "use_exponential_sigmas": false, "use_karras_sigmas": false}
      """;

  private static final String EULER_ANCESTRAL = """
      {"_class_name": "EulerAncestralDiscreteScheduler", "_diffusers_version": "0.30.0", "beta_end": 0.012,
       "beta_schedule": "scaled_linear", "beta_start": 0.00085, "num_train_timesteps": 1000,
       "prediction_type": "epsilon", "rescale_betas_zero_snr": false, "steps_offset": 1,
       "timestep_spacing": "leading", "trained_betas": null}
      """;

  private static final String DPM_SOLVER = """
      {"_class_name": "DPMSolverMultistepScheduler", "_diffusers_version": "0.30.0",
       "algorithm_type": "dpmsolver++", "beta_end": 0.012, "beta_schedule": "scaled_linear",
       "beta_start": 0.00085, "dynamic_thresholding_ratio": 0.995, "euler_at_final": false,
       "final_sigmas_type": "zero", "flow_shift": 1.0, "lambda_min_clipped": -Infinity,
       "lower_order_final": true, "num_train_timesteps": 1000, "prediction_type": "epsilon",
       "rescale_betas_zero_snr": false, "sample_max_value": 1.0, "solver_order": 2, "solver_type": "midpoint",
       "steps_offset": 1, "thresholding": false, "time_shift_type": "exponential",
       "timestep_spacing": "linspace", "trained_betas": null, "use_beta_sigmas": false,
       "use_dynamic_shifting": false, "use_exponential_sigmas": false, "use_flow_sigmas": false,
       "use_karras_sigmas": true, "use_lu_lambdas": false, "variance_type": null}
      """;

  private static final String UNIPC = """
      {"_class_name": "UniPCMultistepScheduler", "_diffusers_version": "0.30.0", "beta_end": 0.012,
       "beta_schedule": "scaled_linear", "beta_start": 0.00085, "disable_corrector": [],
       "dynamic_thresholding_ratio": 0.995, "final_sigmas_type": "zero", "flow_shift": 1.0, "lower_order_final": true, "num_train_timesteps": 1000,
       "predict_x0": true, "prediction_type": "epsilon", "rescale_betas_zero_snr": false, "sample_max_value": 1.0,
       "shift_terminal": null, "sigma_max": null, "sigma_min": null, "solver_order": 2, "solver_p": null,
       "solver_type": "bh2", "steps_offset": 1, "thresholding": false, "time_shift_type": "exponential",
       "timestep_spacing": "linspace", "trained_betas": null, "use_beta_sigmas": false,
       "use_dynamic_shifting": false, "use_exponential_sigmas": false, "use_flow_sigmas": false,
       "use_karras_sigmas": false}
      """;

  private static <C> C read(String json, Class<C> type) {
    return Configs.read(Recipes.json(json), type, "scheduler_config.json");
  }

  @Test
  void serviceLoaderFindsEverySampler() {
    assertThat(Recipes.PROVIDERS).containsKeys("ddpm", "ddim", "euler", "euler-ancestral", "dpmpp-2m",
        "dpmpp-2m-sde", "unipc");
  }

  @Test
  void uniPcSchedulerConfigLoads() {
    UniPcConfig c = read(UNIPC, UniPcConfig.class);
    assertThat(c.solverType()).isEqualTo("bh2");
    assertThat(c.disableCorrector()).isEmpty();
    assertThat(c.predictX0()).isTrue();
    assertThat(((UniPcSampler) Recipes.sampler("unipc", UNIPC)).timesteps(10))
        .containsExactly(999, 899, 799, 699, 599, 500, 400, 300, 200, 100);
    assertThatThrownBy(() -> Recipes.sampler("unipc", "{\"predict_x0\": false}"))
        .hasMessageContaining("predict_x0 = false");
  }

  @Test
  void ddpmSchedulerConfigLoads() {
    DdpmConfig c = read(DDPM, DdpmConfig.class);
    assertThat(c).isEqualTo(DdpmConfig.defaults());
    assertThat(Recipes.sampler("ddpm", DDPM)).isInstanceOf(DdpmSampler.class);
  }

  @Test
  void ddimSchedulerConfigLoads() {
    DdimConfig c = read(DDIM, DdimConfig.class);
    assertThat(c.schedule().betaSchedule()).isEqualTo(BetaSchedule.SCALED_LINEAR);
    assertThat(c.schedule().betaStart()).isEqualTo(0.00085);
    assertThat(c.clipSample()).isFalse();
    assertThat(c.setAlphaToOne()).isFalse();
    assertThat(c.stepsOffset()).isEqualTo(1);
    assertThat(c.eta()).isZero();
    assertThat(((DdimSampler) Recipes.sampler("ddim", DDIM)).timesteps(5)).containsExactly(801, 601, 401, 201, 1);
  }

  @Test
  void eulerSchedulerConfigLoads() {
    EulerConfig c = read(EULER, EulerConfig.class);
    assertThat(c.timestepSpacing()).isEqualTo(TimestepSpacing.LEADING);
    assertThat(c.sigmaMin()).isNull();
    assertThat(c.sChurn()).isZero();
    assertThat(c.sTmax()).isInfinite();
    assertThat(Recipes.sampler("euler", EULER)).isInstanceOf(EulerSampler.class);
  }

  @Test
  void eulerAncestralSchedulerConfigLoads() {
    EulerAncestralConfig c = read(EULER_ANCESTRAL, EulerAncestralConfig.class);
    assertThat(c.stepsOffset()).isEqualTo(1);
    assertThat(c.schedule().predictionType()).isEqualTo(PredictionType.EPSILON);
    assertThat(Recipes.sampler("euler-ancestral", EULER_ANCESTRAL)).isInstanceOf(EulerAncestralSampler.class);
  }

  @Test
  void dpmSolverSchedulerConfigLoadsWithMinusInfinity() {
    DpmSolverConfig c = read(DPM_SOLVER, DpmSolverConfig.class);
    assertThat(c.lambdaMinClipped()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(c.useKarrasSigmas()).isTrue();
    assertThat(c.algorithmType()).isEqualTo("dpmsolver++");
    assertThat(Recipes.sampler("dpmpp-2m", DPM_SOLVER)).isInstanceOf(DpmSolverSampler.class);
    String sde = DPM_SOLVER.replace("\"dpmsolver++\"", "\"sde-dpmsolver++\"");
    assertThat(Recipes.sampler("dpmpp-2m-sde", sde)).isInstanceOf(DpmSolverSdeSampler.class);
  }

  @Test
  void unsetAlgorithmTypeIsTheProvidersOwn() {
    assertThat(Recipes.sampler("dpmpp-2m-sde", "{}")).isInstanceOf(DpmSolverSdeSampler.class);
    assertThat(Recipes.sampler("dpmpp-2m", "{}")).isInstanceOf(DpmSolverSampler.class);
  }

  @Test
  void algorithmTypeOfTheOtherSamplerIsAnError() {
    assertThatThrownBy(() -> Recipes.sampler("dpmpp-2m", DPM_SOLVER.replace("\"dpmsolver++\"",
        "\"sde-dpmsolver++\""))).hasMessageContaining("algorithm_type").hasMessageContaining("dpmpp-2m-sde");
  }

  @Test
  void unknownFieldIsNamed() {
    assertThatThrownBy(() -> Recipes.sampler("ddim", "{\"beta_ennd\": 0.02}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("`beta_ennd`")
        .hasMessageContaining("beta_end");
  }

  @Test
  void flatDiffusersFieldsFillTheInlineSchedule() {
    ScheduleConfig schedule = new ScheduleConfig(1000, 0.00085, 0.012, BetaSchedule.SCALED_LINEAR, null,
        PredictionType.EPSILON, false);
    assertThat(read(DDIM, DdimConfig.class)).isEqualTo(
        new DdimConfig(schedule, false, false, 1, false, 0.995, 1.0, 1.0, TimestepSpacing.LEADING, 0.0));
    assertThat(read("{\"eta\": 0.5}", DdimConfig.class).schedule()).isEqualTo(ScheduleConfig.defaults());
  }

  @Test
  void unknownFieldListsTheFlatKnownFields() {
    assertThatThrownBy(() -> read("{\"beta_ennd\": 0.02}", DdimConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessage("scheduler_config.json: unknown field `beta_ennd`; known fields: "
            + String.join(", ", new TreeSet<>(Configs.fieldNames(DdimConfig.class))));
    assertThat(Configs.fieldNames(DdimConfig.class)).contains("num_train_timesteps", "beta_end",
        "rescale_betas_zero_snr", "eta").doesNotContain("schedule");
  }

  @Test
  void aNestedScheduleObjectIsAnUnknownField() {
    assertThatThrownBy(() -> Recipes.sampler("ddim", "{\"schedule\": {\"beta_end\": 0.02}}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown field `schedule`")
        .hasMessageContaining("beta_end");
  }

  @Test
  void badScheduleValuesAreNamedByTheirFlatField() {
    assertThatThrownBy(() -> Recipes.sampler("ddim", "{\"num_train_timesteps\": \"many\"}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("field `num_train_timesteps`");
    assertThatThrownBy(() -> Recipes.sampler("euler", "{\"num_train_timesteps\": 1}"))
        .hasMessageContaining("num_train_timesteps must be >= 2, got 1");
  }

  @Test
  void aWrittenConfigIsFlatAndReadsBackEqual() {
    for (Object config : List.of(read(DDIM, DdimConfig.class), read(DDPM, DdpmConfig.class),
        read(EULER, EulerConfig.class), read(EULER_ANCESTRAL, EulerAncestralConfig.class),
        read(DPM_SOLVER, DpmSolverConfig.class), read(UNIPC, UniPcConfig.class))) {
      JsonNode tree = Configs.toTree(config);
      assertThat(tree.has("schedule")).as("%s", tree).isFalse();
      Iterable<String> written = tree::fieldNames;
      assertThat(written).as("%s", tree).contains("num_train_timesteps", "beta_start", "prediction_type")
          .isSubsetOf(Configs.fieldNames(config.getClass()));
      assertThat(Configs.read(tree, config.getClass(), "round trip")).isEqualTo(config);
    }
  }

  @Test
  void fieldsOfAnotherSchedulerAreUnknown() {
    assertThatThrownBy(() -> Recipes.sampler("euler", "{\"clip_sample\": false}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("`clip_sample`");
  }

  @Test
  void unsupportedNonDefaultValuesAreNamed() {
    assertThatThrownBy(() -> Recipes.sampler("euler", "{\"use_exponential_sigmas\": true}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("use_exponential_sigmas = true");
    assertThatThrownBy(() -> Recipes.sampler("euler", "{\"interpolation_type\": \"log_linear\"}"))
        .hasMessageContaining("interpolation_type = log_linear");
    assertThatThrownBy(() -> Recipes.sampler("dpmpp-2m", "{\"solver_order\": 3}"))
        .hasMessageContaining("solver_order").hasMessageContaining("3");
    assertThatThrownBy(() -> Recipes.sampler("dpmpp-2m", "{\"algorithm_type\": \"dpmsolver\"}"))
        .hasMessageContaining("algorithm_type").hasMessageContaining("`dpmsolver`");
    assertThatThrownBy(() -> Recipes.sampler("dpmpp-2m", "{\"variance_type\": \"learned_range\"}"))
        .hasMessageContaining("variance_type = learned_range");
    assertThatThrownBy(() -> Recipes.sampler("ddpm", "{\"variance_type\": \"learned\"}"))
        .hasMessageContaining("variance_type").hasMessageContaining("`learned`");
    assertThatThrownBy(() -> Recipes.sampler("ddpm", "{\"beta_schedule\": \"sigmoid\"}"))
        .hasMessageContaining("beta_schedule");
  }

  @Test
  void outOfRangeValuesNameFieldAndValue() {
    assertThatThrownBy(() -> Recipes.sampler("ddim", "{\"beta_start\": 1.5}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("beta_start").hasMessageContaining("1.5");
    assertThatThrownBy(() -> Recipes.sampler("ddim", "{\"eta\": -0.1}"))
        .hasMessageContaining("eta").hasMessageContaining("-0.1");
    assertThatThrownBy(() -> Recipes.sampler("euler", "{\"s_churn\": -1.0}"))
        .hasMessageContaining("s_churn").hasMessageContaining("-1.0");
    assertThatThrownBy(() -> Recipes.sampler("ddpm", "{\"timestep_spacing\": \"uniform\"}"))
        .hasMessageContaining("timestep_spacing").hasMessageContaining("uniform");
    assertThatThrownBy(() -> Recipes.sampler("euler-ancestral", "{\"trained_betas\": [0.1, 0.2]}"))
        .hasMessageContaining("trained_betas").hasMessageContaining("2");
  }

  @Test
  void kilnFieldsHaveDiffusersStepDefaults() {
    EulerConfig e = EulerConfig.defaults();
    assertThat(e.sChurn()).isZero();
    assertThat(e.sTmin()).isZero();
    assertThat(e.sNoise()).isEqualTo(1.0);
    assertThat(DdimConfig.defaults().eta()).isZero();
  }

  @Test
  void aTrainedModelsScheduleLoadsIntoEveryDiffusionSampler() {
    String schedule = dev.kiln.spi.process.ScheduleConfig.defaults().toJson().toString();
    int diffusionSamplers = 0;
    for (var p : Recipes.PROVIDERS.values()) {
      // the samplers of a noise schedule; phase-space samplers read a process instead
      if (dev.kiln.spi.Configs.fieldNames(p.configType()).contains("num_train_timesteps")) {
        assertThat(Recipes.sampler(p.name(), schedule)).as(p.name()).isNotNull();
        diffusionSamplers++;
      }
    }
    assertThat(diffusionSamplers).as("diffusion samplers found").isGreaterThanOrEqualTo(7);
  }
}
