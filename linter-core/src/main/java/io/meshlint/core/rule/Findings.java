package io.meshlint.core.rule;

import io.meshlint.core.model.Resource;
import io.meshlint.core.source.Locator;
import io.meshlint.core.source.SourceFile;
import io.meshlint.core.source.Span;
import io.meshlint.core.source.YamlReader;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A run's findings in report order (file, line, column, code, resource, message), handed out one
 * at a time: positions are found file by file as the findings are walked, reading each file with
 * findings again and keeping no file's positions for long, so that a report is written as its
 * findings are located, never held whole. Counts and severities are known before any file is read.
 */
public final class Findings {
  /** Files located together, in parallel; their findings are then handed out in order. */
  private static final int BATCH = 64;

  private static final Comparator<Finding> ORDER = Comparator
      .comparing((Finding f) -> f.location().file())
      .thenComparingInt(f -> f.location().line())
      .thenComparingInt(f -> f.location().column())
      .thenComparing(f -> f.rule().code())
      .thenComparing(f -> f.resource() == null ? "" : f.resource().toString())
      .thenComparing(Finding::message);

  /**
   * One finding: located already (a problem of the input), or still without its position
   * ({@code subject} set, line 0), found from the subject's document when walked.
   */
  record Item(Finding finding, Resource subject) {}

  /** The items by file display name, in name order. */
  private final TreeMap<String, List<Item>> byFile;
  private final YamlReader.Limits limits;
  private final Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
  private int size;
  private List<Finding> list;

  Findings(TreeMap<String, List<Item>> byFile, YamlReader.Limits limits) {
    this.byFile = byFile;
    this.limits = limits;
    for (List<Item> items : byFile.values()) {
      for (Item item : items) {
        counts.merge(item.finding().severity(), 1, Integer::sum);
        size++;
      }
    }
  }

  /** No findings. */
  public static Findings none() {
    return new Findings(new TreeMap<>(), YamlReader.Limits.DEFAULT);
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public int count(Severity severity) {
    return counts.getOrDefault(severity, 0);
  }

  /** True when some finding is at or above {@code threshold}. */
  public boolean anyAtLeast(Severity threshold) {
    return counts.keySet().stream().anyMatch(s -> s.atLeast(threshold));
  }

  /** The display names of the files with findings. */
  public Set<String> files() {
    return byFile.keySet();
  }

  /**
   * The findings {@code keep} accepts, tested before they are located: their location has the
   * file but line 0. The order is kept.
   */
  public Findings filter(Predicate<Finding> keep) {
    TreeMap<String, List<Item>> kept = new TreeMap<>();
    byFile.forEach((file, items) -> {
      List<Item> left = items.stream().filter(i -> keep.test(i.finding())).toList();
      if (!left.isEmpty()) {
        kept.put(file, left);
      }
    });
    return new Findings(kept, limits);
  }

  /** Hands out each file's findings, located and in order, one file at a time. */
  public void forEachFile(Consumer<List<Finding>> each) {
    List<List<Item>> files = new ArrayList<>(byFile.values());
    for (int from = 0; from < files.size(); from += BATCH) {
      files.subList(from, Math.min(files.size(), from + BATCH)).parallelStream()
          .map(this::locate)
          .toList()
          .forEach(each);
    }
  }

  /** Hands out each finding, located and in order. */
  public void forEach(Consumer<Finding> each) {
    forEachFile(findings -> findings.forEach(each));
  }

  /** All findings located, kept once asked for: for callers that look at them more than once. */
  public synchronized List<Finding> toList() {
    if (list == null) {
      List<Finding> all = new ArrayList<>(size);
      forEach(all::add);
      list = List.copyOf(all);
    }
    return list;
  }

  /** One file's findings with their positions, sorted. */
  private List<Finding> locate(List<Item> items) {
    // Only the documents with findings are located: a file's others are read but not recorded.
    Map<SourceFile, BitSet> documents = new IdentityHashMap<>();
    for (Item item : items) {
      if (item.subject() != null) {
        documents.computeIfAbsent(item.subject().file(), file -> new BitSet()).set(item.subject().documentIndex());
      }
    }
    Map<SourceFile, Locator> locators = new IdentityHashMap<>();
    List<Finding> out = new ArrayList<>(items.size());
    for (Item item : items) {
      Finding f = item.finding();
      Resource subject = item.subject();
      if (subject == null) {
        out.add(f);
        continue;
      }
      Locator locator = locators.computeIfAbsent(subject.file(),
          file -> new Locator(file, limits, documents.get(file)::get));
      Span at = locator.span(subject.documentIndex(), subject.base().concat(f.path()));
      Location location = new Location(f.location().file(), at.start().line(), at.start().column(),
          f.location().helmSource(), at.end().line(), at.end().column());
      out.add(new Finding(f.rule(), f.severity(), f.apiVersion(), f.resource(), f.path(), location, f.message(),
          f.suggestion()));
    }
    out.sort(ORDER);
    return out;
  }
}
