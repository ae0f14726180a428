package dev.kiln.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** Small random damage to a valid file: what truncation, bit rot and a hostile writer produce. */
final class Mutations {

  private Mutations() {}

  static byte[] mutate(byte[] valid, Random rng) {
    byte[] b = valid.clone();
    return switch (rng.nextInt(6)) {
      case 0 -> Arrays.copyOf(b, rng.nextInt(b.length + 1));
      case 1 -> {
        for (int k = 0, n = 1 + rng.nextInt(4); k < n; k++) {
          b[rng.nextInt(b.length)] ^= (byte) (1 << rng.nextInt(8));
        }
        yield b;
      }
      case 2 -> {
        b[rng.nextInt(b.length)] = (byte) rng.nextInt(256);
        yield b;
      }
      case 3 -> {
        int at = rng.nextInt(b.length);
        byte[] ins = new byte[1 + rng.nextInt(16)];
        rng.nextBytes(ins);
        byte[] out = new byte[b.length + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at, out, at + ins.length, b.length - at);
        yield out;
      }
      case 4 -> {
        // a digit changed: lengths, offsets and shapes that still parse
        int at = rng.nextInt(b.length);
        for (int i = 0; i < b.length; i++) {
          int j = (at + i) % b.length;
          if (b[j] >= '0' && b[j] <= '9') {
            b[j] = (byte) ('0' + rng.nextInt(10));
            break;
          }
        }
        yield b;
      }
      default -> {
        byte[] r = new byte[rng.nextInt(64)];
        rng.nextBytes(r);
        yield r;
      }
    };
  }

  /** A safetensors file with the given header and {@code dataBytes} zero bytes of data. */
  static byte[] safetensors(String header, int dataBytes) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h)
        .array();
  }
}
