package io.meshlint.cli.lsp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.CodeActionOptions;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesRegistrationOptions;
import org.eclipse.lsp4j.DidChangeWorkspaceFoldersParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.FileSystemWatcher;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.Registration;
import org.eclipse.lsp4j.RegistrationParams;
import org.eclipse.lsp4j.SaveOptions;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextDocumentSyncOptions;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.WorkspaceFoldersOptions;
import org.eclipse.lsp4j.WorkspaceServerCapabilities;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * meshlint's language server: the protocol's side. Each message is handed to the {@link Workspace}
 * on its worker thread, in arrival order; nothing here blocks the thread reading the messages.
 */
final class MeshlintServer implements LanguageServer, LanguageClientAware, TextDocumentService, WorkspaceService {
  private final Worker worker = new Worker();
  private final String version;
  private final Workspace workspace;
  private LanguageClient client;
  private ClientCapabilities capabilities = new ClientCapabilities();
  private volatile boolean shutdown;
  /** The exit status, once the editor says {@code exit} or the input ends. */
  final CompletableFuture<Integer> exit = new CompletableFuture<>();

  MeshlintServer(Lsp.Setup setup, RuleLinks links, String version) {
    this.version = version;
    this.workspace = new Workspace(setup, links, worker, d -> client.publishDiagnostics(d),
        message -> client.showMessage(new MessageParams(MessageType.Error, "meshlint: " + message)));
  }

  @Override
  public void connect(LanguageClient client) {
    this.client = client;
  }

  @Override
  public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
    if (params.getCapabilities() != null) {
      capabilities = params.getCapabilities();
    }
    Text.Encoding encoding = Text.Encoding.choose(
        capabilities.getGeneral() == null ? null : capabilities.getGeneral().getPositionEncodings());
    List<Path> roots = roots(params);
    worker.execute(() -> workspace.start(roots, encoding));

    ServerCapabilities server = new ServerCapabilities();
    TextDocumentSyncOptions sync = new TextDocumentSyncOptions();
    sync.setOpenClose(true);
    sync.setChange(TextDocumentSyncKind.Incremental);
    sync.setSave(new SaveOptions(false));
    server.setTextDocumentSync(sync);
    server.setCodeActionProvider(new CodeActionOptions(List.of(CodeActionKind.QuickFix)));
    server.setPositionEncoding(encoding.kind);
    WorkspaceFoldersOptions folders = new WorkspaceFoldersOptions();
    folders.setSupported(true);
    folders.setChangeNotifications(true);
    server.setWorkspace(new WorkspaceServerCapabilities(folders));
    return CompletableFuture.completedFuture(new InitializeResult(server, new ServerInfo("meshlint", version)));
  }

  /** The workspace folders, else the root the client names (rootUri, else the older rootPath). */
  private static List<Path> roots(InitializeParams params) {
    List<Path> roots = new ArrayList<>();
    if (params.getWorkspaceFolders() != null) {
      params.getWorkspaceFolders().stream().map(WorkspaceFolder::getUri).map(Workspace::path)
          .filter(Objects::nonNull).forEach(roots::add);
    }
    if (roots.isEmpty() && params.getRootUri() != null) {
      Path root = Workspace.path(params.getRootUri());
      if (root != null) {
        roots.add(root);
      }
    }
    if (roots.isEmpty() && params.getRootPath() != null && !params.getRootPath().isBlank()) {
      roots.add(Path.of(params.getRootPath()).toAbsolutePath().normalize());
    }
    return roots;
  }

  /** Asks to hear of manifests changed on disk (a checkout, another tool), where the client can watch files. */
  @Override
  public void initialized(InitializedParams params) {
    var workspaceCapabilities = capabilities.getWorkspace();
    if (workspaceCapabilities != null && workspaceCapabilities.getDidChangeWatchedFiles() != null
        && Boolean.TRUE.equals(workspaceCapabilities.getDidChangeWatchedFiles().getDynamicRegistration())) {
      var watchers = new DidChangeWatchedFilesRegistrationOptions(List.of(
          new FileSystemWatcher(Either.forLeft("**/*.{yaml,yml,json}"))));
      client.registerCapability(new RegistrationParams(List.of(
          new Registration("meshlint-manifests", "workspace/didChangeWatchedFiles", watchers))));
    }
  }

  @Override
  public CompletableFuture<Object> shutdown() {
    shutdown = true;
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void exit() {
    exit.complete(shutdown ? 0 : 1);
  }

  void stop() {
    worker.stop();
  }

  @Override
  public TextDocumentService getTextDocumentService() {
    return this;
  }

  @Override
  public WorkspaceService getWorkspaceService() {
    return this;
  }

  @Override
  public void didOpen(DidOpenTextDocumentParams params) {
    var doc = params.getTextDocument();
    worker.execute(() -> workspace.open(doc.getUri(), doc.getText(), doc.getVersion()));
  }

  @Override
  public void didChange(DidChangeTextDocumentParams params) {
    String uri = params.getTextDocument().getUri();
    int version = params.getTextDocument().getVersion();
    worker.execute(() -> workspace.change(uri, version, params.getContentChanges()));
  }

  @Override
  public void didClose(DidCloseTextDocumentParams params) {
    String uri = params.getTextDocument().getUri();
    worker.execute(() -> workspace.close(uri));
  }

  @Override
  public void didSave(DidSaveTextDocumentParams params) {
    String uri = params.getTextDocument().getUri();
    worker.execute(() -> workspace.saved(uri));
  }

  @Override
  public CompletableFuture<List<Either<Command, CodeAction>>> codeAction(CodeActionParams params) {
    List<String> only = params.getContext().getOnly();
    if (only != null && only.stream().noneMatch(k -> CodeActionKind.QuickFix.equals(k) || k.isEmpty())) {
      return CompletableFuture.completedFuture(List.of());
    }
    String uri = params.getTextDocument().getUri();
    return worker.submit(() -> {
      OpenDocument doc = workspace.document(uri);
      // Findings of an older text would place the fix wrong; the next lint brings the current ones.
      return doc == null || doc.publishedVersion != doc.version() ? List.of()
          : QuickFixes.of(doc, params.getRange(), params.getContext().getDiagnostics(), workspace.encoding());
    });
  }

  @Override
  public void didChangeConfiguration(DidChangeConfigurationParams params) {
    // meshlint reads its settings from the command line and each folder's .meshlint.yaml.
  }

  @Override
  public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) {
    List<Path> paths = params.getChanges().stream().map(e -> Workspace.path(e.getUri())).filter(Objects::nonNull).toList();
    worker.execute(() -> workspace.diskChanged(paths));
  }

  @Override
  public void didChangeWorkspaceFolders(DidChangeWorkspaceFoldersParams params) {
    List<Path> added = params.getEvent().getAdded().stream().map(WorkspaceFolder::getUri).map(Workspace::path)
        .filter(Objects::nonNull).toList();
    List<Path> removed = params.getEvent().getRemoved().stream().map(WorkspaceFolder::getUri).map(Workspace::path)
        .filter(Objects::nonNull).toList();
    worker.execute(() -> workspace.foldersChanged(added, removed));
  }
}
