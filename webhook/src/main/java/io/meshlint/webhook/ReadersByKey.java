package io.meshlint.webhook;

import io.meshlint.core.mesh.Dependents;
import io.meshlint.core.mesh.HostIndex;
import io.meshlint.core.model.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * For each index key some check read (host-keyed lookups' without their hosts), the rules whose
 * checks read it and the resources they checked: asked for every key an admission request touches.
 * One question answers for every rule, where a map of rules by key and one of readers per rule cost
 * two lookups each in maps as large as the state. Keys are held by their hash alone, in one array:
 * keys that share a hash share their readers, so a change may check a resource again that could not
 * find anything new (the same findings before and after), and never misses one.
 */
final class ReadersByKey {
  /**
   * One rule's readers of a key.
   *
   * @param unreported of those, the ones the rule did not report, for a rule reported once per
   *     subject ({@link io.meshlint.core.rule.OncePerSubject}); null for other rules
   */
  record Reading(String code, Reads all, Reads unreported) {}

  /** The resources whose checks read a key by key alone ({@code readers}) or by host ({@code byHost}); one is null. */
  record Reads(List<Resource> readers, HostIndex<Resource> byHost) {
    private static final Reads NONE = new Reads(List.of(), null);

    /** Adds the readers of the key, or for a host-keyed lookup those that asked for a host intersecting {@code host}. */
    void addTo(String host, Set<Resource> out) {
      if (host == null) {
        if (readers != null) {
          out.addAll(readers);
        }
      } else if (byHost != null) {
        out.addAll(byHost.intersecting(host));
      }
    }
  }

  /** {@code hash << 32 | (index in readings + 1)}; 0 marks an empty slot. */
  private final long[] slots;
  private final int shift;
  private final List<List<Reading>> readings = new ArrayList<>();

  /**
   * @param unreportedByRule for the rules reported once per subject, the reads of the resources they did not report
   */
  ReadersByKey(Map<String, Dependents> dependentsByRule, Map<String, Dependents> unreportedByRule) {
    Map<String, List<Reading>> byKey = new HashMap<>();
    dependentsByRule.forEach((code, d) -> {
      Map<String, Reads> unreported = unreportedByRule.containsKey(code) ? reads(unreportedByRule.get(code)) : null;
      reads(d).forEach((key, all) -> byKey.computeIfAbsent(key, k -> new ArrayList<>(1))
          .add(new Reading(code, all, unreported == null ? null : unreported.getOrDefault(key, Reads.NONE))));
    });
    // At most half full.
    int capacity = Integer.highestOneBit(Math.max(8, byKey.size() * 2 - 1)) << 1;
    slots = new long[capacity];
    shift = 32 - Integer.numberOfTrailingZeros(capacity);
    byKey.forEach((key, read) -> {
      int hash = key.hashCode();
      int slot = find(hash);
      if (slots[slot] == 0) {
        readings.add(List.copyOf(read));
        slots[slot] = ((long) hash << 32) | readings.size();
      } else {
        int at = (int) slots[slot] - 1;
        List<Reading> both = new ArrayList<>(readings.get(at));
        both.addAll(read);
        readings.set(at, List.copyOf(both));
      }
    });
  }

  private static Map<String, Reads> reads(Dependents dependents) {
    Map<String, Reads> out = new HashMap<>();
    dependents.forEachRead((key, readers) -> out.put(key, new Reads(readers, null)),
        (key, byHost) -> out.put(key, new Reads(null, byHost)));
    return out;
  }

  /** Each rule that read {@code key} with its readers; perhaps also those of a key of the same hash. */
  List<Reading> of(String key) {
    long slot = slots[find(key.hashCode())];
    return slot == 0 ? List.of() : readings.get((int) slot - 1);
  }

  /** The slot holding {@code hash}, else the empty slot where it would go. */
  private int find(int hash) {
    int mask = slots.length - 1;
    int i = (hash * 0x9E3779B9) >>> shift;
    while (slots[i] != 0 && (int) (slots[i] >>> 32) != hash) {
      i = (i + 1) & mask;
    }
    return i;
  }
}
