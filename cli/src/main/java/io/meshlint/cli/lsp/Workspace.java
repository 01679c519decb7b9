package io.meshlint.cli.lsp;

import io.meshlint.core.Linter;
import io.meshlint.core.rule.Finding;
import io.meshlint.core.source.Loader;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;

/**
 * The open documents and the workspace folders they lint against, and the lint runs that turn them
 * into diagnostics. Everything here runs on one worker thread, in the order the editor's messages
 * arrived, so no state is shared between threads; the protocol's thread only queues work.
 *
 * <p>Each folder is a context, as {@code lint --context}: its manifests on disk, parsed once and
 * kept, with the open documents' text in place of their files. A lint runs the rules on the open
 * documents of one folder against all of it, and republishes each document whose diagnostics
 * changed (and each whose text did, so that every document's diagnostics name its latest version).
 */
final class Workspace {
  /** How long a change waits for the next one before the lint starts: typing runs lint about this often. */
  static final long DEBOUNCE_MILLIS = 100;

  private final Lsp.Setup setup;
  private final RuleLinks links;
  private final Worker worker;
  private final Consumer<PublishDiagnosticsParams> publish;
  private final Consumer<String> problem;
  private final List<Folder> folders = new ArrayList<>();
  private final Folder outside = new Folder(null);
  private final Map<String, OpenDocument> documents = new LinkedHashMap<>();
  private Text.Encoding encoding = Text.Encoding.UTF16;

  /**
   * @param publish sends diagnostics to the client
   * @param problem tells the user about a problem that is not a finding (a project config that cannot be used)
   */
  Workspace(Lsp.Setup setup, RuleLinks links, Worker worker, Consumer<PublishDiagnosticsParams> publish,
      Consumer<String> problem) {
    this.setup = setup;
    this.links = links;
    this.worker = worker;
    this.publish = publish;
    this.problem = problem;
  }

  void start(List<Path> roots, Text.Encoding encoding) {
    this.encoding = encoding;
    roots.forEach(root -> folders.add(new Folder(root)));
    // Read every folder at once, before the first document opens, so that it lints without waiting.
    folders.forEach(this::refresh);
  }

  Text.Encoding encoding() {
    return encoding;
  }

  void open(String uri, String text, int version) {
    OpenDocument doc = new OpenDocument(uri, path(uri), text, version);
    documents.put(uri, doc);
    lintSoon(folderOf(doc), true, 0);
  }

  void change(String uri, int version, List<TextDocumentContentChangeEvent> changes) {
    OpenDocument doc = documents.get(uri);
    if (doc != null) {
      doc.change(changes, version, encoding);
      lintSoon(folderOf(doc), false, DEBOUNCE_MILLIS);
    }
  }

  /** A saved file may be the project config, or come with other files changed on disk (a formatter, a checkout). */
  void saved(String uri) {
    Path path = path(uri);
    if (path != null) {
      diskChanged(List.of(path));
    }
  }

  void close(String uri) {
    OpenDocument doc = documents.remove(uri);
    if (doc != null) {
      publish.accept(new PublishDiagnosticsParams(uri, List.of()));
      // The file on disk takes the place of the editor's text for the documents still open.
      lintSoon(folderOf(doc), true, 0);
    }
  }

  /** Files changed on disk: the folders holding them read the disk again and lint. */
  void diskChanged(Collection<Path> paths) {
    Set<Folder> touched = new HashSet<>();
    for (Path p : paths) {
      touched.add(innermost(p));
    }
    touched.forEach(f -> lintSoon(f, true, 0));
  }

  void foldersChanged(List<Path> added, List<Path> removed) {
    folders.removeIf(f -> {
      if (removed.contains(f.root)) {
        if (f.pending != null) {
          f.pending.cancel(false);
        }
        return true;
      }
      return false;
    });
    added.forEach(root -> folders.add(new Folder(root)));
    // Documents move to the innermost folder that now holds them: lint everything again.
    for (Folder f : folders) {
      lintSoon(f, true, 0);
    }
    lintSoon(outside, true, 0);
  }

  OpenDocument document(String uri) {
    return documents.get(uri);
  }

  private void lintSoon(Folder folder, boolean readDisk, long delayMillis) {
    folder.stale |= readDisk;
    if (folder.pending == null) {
      folder.pending = worker.schedule(() -> {
        folder.pending = null;
        lint(folder);
      }, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void refresh(Folder folder) {
    folder.configure(setup, problem);
    if (folder.stale) {
      folder.sync();
      folder.stale = false;
    }
  }

  /** Lints the open documents of a folder and publishes what changed. */
  void lint(Folder folder) {
    if (folder != outside && !folders.contains(folder)) {
      return; // removed from the workspace since the lint was scheduled
    }
    refresh(folder);
    List<OpenDocument> docs = new ArrayList<>();
    for (OpenDocument doc : documents.values()) {
      if (doc.path != null && Loader.isManifest(doc.path) && folderOf(doc) == folder) {
        docs.add(doc);
      }
    }
    if (docs.isEmpty()) {
      return;
    }
    Map<String, List<Finding>> byFile = new HashMap<>();
    if (folder == outside) {
      for (OpenDocument doc : docs) {
        String name = doc.path.toString();
        Loader.Result alone = doc.parse(folder.linter, name);
        byFile.put(name, folder.linter.run(alone, Loader.Result.concat(List.of())).report().findings());
      }
    } else {
      List<Loader.Result> reported = new ArrayList<>();
      Set<Path> open = new HashSet<>();
      for (OpenDocument doc : docs) {
        reported.add(doc.parse(folder.linter, folder.displayName(doc.path)));
        open.add(doc.path);
      }
      Linter.Report report = folder.linter.run(Loader.Result.concat(reported),
          Loader.Result.concat(folder.context(open))).report();
      for (Finding f : report.findings()) {
        byFile.computeIfAbsent(f.location().file(), k -> new ArrayList<>()).add(f);
      }
    }
    for (OpenDocument doc : docs) {
      String name = folder == outside ? doc.path.toString() : folder.displayName(doc.path);
      List<Diagnostics.Published> found = Diagnostics.of(byFile.getOrDefault(name, List.of()), doc.text(), encoding,
          links, folder.configFile);
      List<Diagnostic> diagnostics = found.stream().map(Diagnostics.Published::diagnostic).toList();
      if (doc.publishedVersion != doc.version() || !diagnostics.equals(doc.published)) {
        publish.accept(new PublishDiagnosticsParams(doc.uri, diagnostics, doc.version()));
        doc.publishedVersion = doc.version();
        doc.published = diagnostics;
      }
      doc.findings = found;
    }
  }

  private Folder folderOf(OpenDocument doc) {
    return doc.path == null ? outside : innermost(doc.path);
  }

  /** The innermost workspace folder holding {@code path}, or the scope of files outside every folder. */
  private Folder innermost(Path path) {
    Folder best = outside;
    for (Folder f : folders) {
      if (f.contains(path) && (best == outside || f.root.startsWith(best.root))) {
        best = f;
      }
    }
    return best;
  }

  /** The file a {@code file:} URI names, or null for other schemes (an unsaved buffer). */
  static Path path(String uri) {
    try {
      URI u = URI.create(uri);
      return "file".equalsIgnoreCase(u.getScheme()) ? Path.of(u).toAbsolutePath().normalize() : null;
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      return null;
    }
  }
}
