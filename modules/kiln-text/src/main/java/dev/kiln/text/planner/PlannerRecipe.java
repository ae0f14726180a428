package dev.kiln.text.planner;

/**
 * Everything one PLANNER training on the State of the Union paragraphs is made from, read strictly from
 * JSON (snake_case) by {@code kiln planner train --config FILE}: the tokenizer's vocabulary, the network
 * sizes and both stages' schedules. The stage constants default to the released code's (substitution
 * noise 0.3, KL weight 1e-5, label dropout 0.1) and to the study's learning rates.
 *
 * @param model network sizes ({@link PlannerConfig}); its {@code vocab} is the BPE vocabulary
 * @param embedderSteps steps of the embedder (encoder and decoder)
 * @param denoiserSteps steps of the denoiser
 * @param batch embedder batch
 * @param denoiserBatch denoiser batch
 * @param embedderLr peak AdamW rate of the embedder
 * @param denoiserLr peak AdamW rate of the denoiser
 * @param noise probability that an embedder input token is substituted
 * @param wordDropout probability that a decoder input token is replaced by {@code <unk>} while the
 *     embedder trains (0, the released code's setting, when absent)
 * @param klWeight β of the embedder's summed KL
 * @param labelDrop probability that the denoiser's label is dropped (classifier-free guidance)
 */
public record PlannerRecipe(PlannerConfig model, Long embedderSteps, Long denoiserSteps, Integer batch,
    Integer denoiserBatch, Double embedderLr, Double denoiserLr, Double noise, Double wordDropout, Double klWeight,
    Double labelDrop) {

  public PlannerRecipe {
    if (model == null) {
      throw new IllegalArgumentException("planner recipe: field `model` (the network sizes) is missing");
    }
    embedderSteps = embedderSteps == null ? 1200L : embedderSteps;
    denoiserSteps = denoiserSteps == null ? 1200L : denoiserSteps;
    batch = batch == null ? 32 : batch;
    denoiserBatch = denoiserBatch == null ? 64 : denoiserBatch;
    embedderLr = embedderLr == null ? 5e-4 : embedderLr;
    denoiserLr = denoiserLr == null ? 3e-4 : denoiserLr;
    noise = noise == null ? 0.3 : noise;
    wordDropout = wordDropout == null ? 0.0 : wordDropout;
    klWeight = klWeight == null ? 1e-5 : klWeight;
    labelDrop = labelDrop == null ? 0.1 : labelDrop;
    if (embedderSteps < 1 || denoiserSteps < 1 || batch < 1 || denoiserBatch < 1) {
      throw new IllegalArgumentException("planner recipe: embedder_steps, denoiser_steps, batch and denoiser_batch"
          + " must be >= 1, got " + embedderSteps + ", " + denoiserSteps + ", " + batch + ", " + denoiserBatch);
    }
    if (!(embedderLr > 0) || !(denoiserLr > 0)) {
      throw new IllegalArgumentException("planner recipe: embedder_lr and denoiser_lr must be positive, got "
          + embedderLr + " and " + denoiserLr);
    }
    if (!(wordDropout >= 0 && wordDropout < 1)) {
      throw new IllegalArgumentException("planner recipe: need 0 <= word_dropout < 1, got " + wordDropout);
    }
    if (!(noise >= 0 && noise < 1) || !(labelDrop >= 0 && labelDrop <= 1) || !(klWeight >= 0)) {
      throw new IllegalArgumentException("planner recipe: need 0 <= noise < 1, 0 <= label_drop <= 1 and"
          + " kl_weight >= 0, got " + noise + ", " + labelDrop + ", " + klWeight);
    }
  }
}
