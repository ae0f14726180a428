package dev.kiln.ssl.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * An augmentation pipeline: stages applied in order, each drawing its own parameters. Besides single
 * views it builds the two kinds of training pairs: {@link #pair} draws both views independently (VICReg's
 * protocol), {@link #pairDifferingIn} shares every stage's draw but one (MAST's one-subspace pairs).
 *
 * @param stages the augmentation types, in application order
 */
public record Pipeline(List<Stage> stages) {

  public Pipeline {
    stages = List.copyOf(stages);
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("a pipeline needs at least one stage");
    }
  }

  public static Pipeline of(Stage... stages) {
    return new Pipeline(List.of(stages));
  }

  /**
   * VICReg's augmentations rescaled to 16-pixel pictures, grouped into the K = 4 types MAST masks: crop
   * (area 0.35–1 rather than 0.08–1, which would leave a 16-pixel picture a few pixels of content),
   * flip and quarter turns, colour (jitter 0.4/0.4/0.4/0.1 with p 0.8, grey p 0.2, solarise p 0.1) and
   * blur (σ 0.1–1 pixel with p 0.5, VICReg's 0.1–2 on 224 pixels being a far larger share of the picture).
   */
  public static Pipeline forSmallShapes() {
    return of(Stage.of("crop", new ResizedCrop(0.35, 1)), Stage.of("flip-rotate", new FlipRotate(0.5, true)),
        Stage.of("colour", new ColorJitter(0.4, 0.4, 0.4, 0.1, 0.8), new Grayscale(0.2), new Solarize(0.5, 0.1)),
        Stage.of("blur", new GaussianBlur(0.1, 1, 0.5)));
  }

  /** As {@link #forSmallShapes} without flips and turns, which change a digit's identity (K = 3). */
  public static Pipeline forSmallDigits() {
    return of(Stage.of("crop", new ResizedCrop(0.35, 1)),
        Stage.of("colour", new ColorJitter(0.4, 0.4, 0.4, 0.1, 0.8), new Grayscale(0.2), new Solarize(0.5, 0.1)),
        Stage.of("blur", new GaussianBlur(0.1, 1, 0.5)));
  }


  /** The number of augmentation types K. */
  public int size() {
    return stages.size();
  }

  /** Stage names, in order. */
  public List<String> names() {
    return stages.stream().map(Stage::name).toList();
  }

  /** The index of stage {@code name}. */
  public int indexOf(String name) {
    for (int i = 0; i < stages.size(); i++) {
      if (stages.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no augmentation stage `" + name + "`; stages are " + names());
  }

  /** This pipeline with stage {@code k} always drawing the identity. */
  public Pipeline without(int k) {
    List<Stage> s = new ArrayList<>(stages);
    s.set(k, s.get(k).disabled());
    return new Pipeline(s);
  }

  /**
   * Every parameter of one view.
   *
   * @param perStage one list of draws per stage
   */
  public record Draws(List<List<Augmentation.Draw>> perStage) {
    public Draws {
      perStage = perStage.stream().map(List::copyOf).toList();
    }
  }

  /** A view of {@code in}: the picture and what made it. */
  public record View(Picture picture, Draws draws) {}

  /**
   * Two views of one picture.
   *
   * @param stage the one stage whose draws differ, or −1 when every stage was drawn independently
   */
  public record Pair(View first, View second, int stage) {}

  /** Draws the parameters of one view. */
  public Draws sample(RandomGenerator rng) {
    List<List<Augmentation.Draw>> all = new ArrayList<>(stages.size());
    for (Stage s : stages) {
      all.add(s.sample(rng));
    }
    return new Draws(all);
  }

  /** {@code in} transformed by {@code draws}. */
  public Picture apply(Picture in, Draws draws) {
    Picture p = in;
    for (int k = 0; k < stages.size(); k++) {
      p = stages.get(k).apply(p, draws.perStage().get(k));
    }
    return p;
  }

  /** One view with freshly drawn parameters. */
  public View view(Picture in, RandomGenerator rng) {
    Draws d = sample(rng);
    return new View(apply(in, d), d);
  }

  /** Two views with independent draws of every stage. */
  public Pair pair(Picture in, RandomGenerator rng) {
    return new Pair(view(in, rng), view(in, rng), -1);
  }

  /** Two views sharing every stage's draw except stage {@code k}'s, which each view draws afresh. */
  public Pair pairDifferingIn(Picture in, int k, RandomGenerator rng) {
    Draws shared = sample(rng);
    List<List<Augmentation.Draw>> a = new ArrayList<>(shared.perStage());
    List<List<Augmentation.Draw>> b = new ArrayList<>(shared.perStage());
    a.set(k, stages.get(k).sample(rng));
    b.set(k, stages.get(k).sample(rng));
    Draws da = new Draws(a);
    Draws db = new Draws(b);
    return new Pair(new View(apply(in, da), da), new View(apply(in, db), db), k);
  }

  /** How much stage {@code k} differs between two views ({@link Stage#difference}). */
  public double difference(int k, Draws a, Draws b) {
    return stages.get(k).difference(a.perStage().get(k), b.perStage().get(k));
  }
}
