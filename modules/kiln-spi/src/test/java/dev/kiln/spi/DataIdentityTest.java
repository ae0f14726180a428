package dev.kiln.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DataIdentityTest {

  @Test
  void contentHashIsTheStandardSha256() {
    // FIPS 180-2's test vector for "abc"
    assertThat(DataIdentity.of("abc", "abc".getBytes(StandardCharsets.US_ASCII)).sha256())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void aDrawThatDiffersInOneValueHasAnotherHash() {
    double[] a = {0.5, -1.25, 2};
    double[] b = {0.5, -1.25, 2.0000005};
    assertThat(DataIdentity.ofDraw("toy", a)).isEqualTo(DataIdentity.ofDraw("toy", a.clone()));
    assertThat(DataIdentity.ofDraw("toy", a).sha256()).isNotEqualTo(DataIdentity.ofDraw("toy", b).sha256());
    assertThat(DataIdentity.ofDraw("ids", new long[] {1, 2}).sha256())
        .isNotEqualTo(DataIdentity.ofDraw("ids", new long[] {2, 1}).sha256());
  }

  @Test
  void aMalformedHashIsRefusedWithTheValue() {
    assertThatThrownBy(() -> new DataIdentity("mnist", "abc123")).hasMessageContaining("mnist")
        .hasMessageContaining("abc123");
  }
}
