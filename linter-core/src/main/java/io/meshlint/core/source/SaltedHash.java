package io.meshlint.core.source;

import java.security.SecureRandom;

/**
 * A string hash seeded at random for each run. Java's {@code String.hashCode} is known in advance,
 * so a manifest can hold many keys that share one (90,000 keys in 2.7 MB): maps keyed by them then
 * degrade to trees, or to lists. Keys hashed with an unknown seed collide only by chance.
 */
final class SaltedHash {
  private static final int SEED = new SecureRandom().nextInt();

  private SaltedHash() {}

  static int of(String s) {
    int h = SEED;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x9E3779B1;
      h ^= h >>> 15;
    }
    return h;
  }
}
