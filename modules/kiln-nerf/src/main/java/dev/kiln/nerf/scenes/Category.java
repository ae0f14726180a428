package dev.kiln.nerf.scenes;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Kinds of procedural scene. */
public enum Category {
  /** One to three random spheres, boxes and cylinders with random colours. */
  SHAPES("shapes"),
  /** A box body, a cabin and four cylinder wheels, with a body colour from a shared palette. */
  TOYCAR("toycar"),
  /** A seat, four legs and a back rest, in wood-like or painted colours. */
  CHAIR("chair");

  private final String id;

  Category(String id) {
    this.id = id;
  }

  @JsonValue
  public String id() {
    return id;
  }

  @JsonCreator
  public static Category parse(String s) {
    for (Category c : values()) {
      if (c.id.equals(s)) {
        return c;
      }
    }
    throw new IllegalArgumentException("category must be one of "
        + Arrays.stream(values()).map(Category::id).toList() + ", got `" + s + "`");
  }
}
