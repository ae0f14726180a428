package dev.kiln.spi.process;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What the network predicts; names as in diffusers' {@code prediction_type}. */
public enum PredictionType {
  EPSILON("epsilon"),
  SAMPLE("sample"),
  V_PREDICTION("v_prediction");

  private final String id;

  PredictionType(String id) {
    this.id = id;
  }

  @JsonValue
  public String id() {
    return id;
  }

  @JsonCreator
  public static PredictionType parse(String s) {
    for (PredictionType p : values()) {
      if (p.id.equals(s)) {
        return p;
      }
    }
    throw new IllegalArgumentException("prediction_type must be one of "
        + Arrays.stream(values()).map(PredictionType::id).toList() + ", got `" + s + "`");
  }
}
