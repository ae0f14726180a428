package dev.kiln.text.planner;

/**
 * What paragraphs to generate, as {@code kiln generate} and a {@code kiln serve} generate request name
 * it.
 *
 * @param attribute attribute class, or null for none
 * @param prefix text the paragraphs continue, or null
 * @param count paragraphs
 * @param seed seed of every draw
 * @param guidance PLANNER: classifier-free guidance weight on the attribute (1 = plain conditional)
 * @param steps PLANNER: DDIM steps
 * @param topP language model: nucleus mass, 0 = greedy
 * @param topK language model: candidates before the nucleus cut, 0 = all
 */
public record TextRequest(Integer attribute, String prefix, int count, long seed, double guidance, int steps,
    double topP, int topK) {

  /** The longest prefix accepted, in characters. */
  public static final int MAX_PREFIX_CHARS = 10_000;

  public TextRequest {
    if (count < 1 || steps < 1) {
      throw new IllegalArgumentException("count and steps must be >= 1, got " + count + " and " + steps);
    }
    if (!Double.isFinite(guidance)) {
      throw new IllegalArgumentException("guidance must be a finite number, got " + guidance);
    }
    if (!(topP >= 0 && topP <= 1) || topK < 0) {
      throw new IllegalArgumentException("top_p must be in [0, 1] and top_k >= 0, got " + topP + " and " + topK);
    }
    if (prefix != null && prefix.length() > MAX_PREFIX_CHARS) {
      throw new IllegalArgumentException("prefix: " + prefix.length() + " characters, over the limit of "
          + MAX_PREFIX_CHARS);
    }
  }
}
