package dev.kiln.experiments.agm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.spi.Configs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The metrics of one (method, NFE) cell, one map per noise seed. */
record Cell(int nfe, List<Map<String, Double>> runs) {

  Cell {
    runs = List.copyOf(runs);
  }

  double mean(String metric) {
    return values(metric).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  double std(String metric) {
    List<Double> v = values(metric);
    double m = mean(metric);
    return v.size() < 2 ? 0 : Math.sqrt(v.stream().mapToDouble(d -> (d - m) * (d - m)).sum() / (v.size() - 1));
  }

  private List<Double> values(String metric) {
    List<Double> v = new ArrayList<>();
    for (Map<String, Double> r : runs) {
      v.add(r.get(metric));
    }
    return v;
  }

  ObjectNode toJson() {
    ObjectNode n = Configs.mapper().createObjectNode().put("nfe", nfe).put("seeds", runs.size());
    for (String metric : runs.get(0).keySet()) {
      n.put(metric + "_mean", mean(metric)).put(metric + "_std", std(metric));
    }
    return n;
  }
}
