package dev.kiln.conformance.gradients;

import dev.kiln.autodiff.GradientRegistry;
import java.util.List;
import java.util.Set;

/** Kiln's own rules, checked by the same contract a third party runs. */
class StandardGradientRulesTest implements GradientRuleContract {

  @Override
  public GradientRegistry registry() {
    return GradientRegistry.standard();
  }

  @Override
  public List<GradientCase> cases() {
    List<GradientCase> all = new java.util.ArrayList<>(StandardGradientCases.all());
    all.addAll(LayerGradientCases.all());
    return all;
  }

  @Override
  public Set<String> ownOps() {
    return GradientRegistry.standard().differentiableOps();
  }
}
