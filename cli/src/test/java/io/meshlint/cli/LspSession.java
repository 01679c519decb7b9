package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import picocli.CommandLine;

/**
 * A language client for tests: runs {@code meshlint lsp} in-process on a pair of pipes, speaking the
 * protocol with real {@code Content-Length} framing, and keeps what the server sends.
 */
final class LspSession implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 30;

  private final OutputStream toServer;
  private final CompletableFuture<Integer> status = new CompletableFuture<>();
  private final Map<Integer, CompletableFuture<JsonNode>> responses = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<JsonNode> notifications = new LinkedBlockingQueue<>();
  /** What went wrong reading the server's output, if anything: a byte that is not part of a frame. */
  private volatile String framingError;
  private final CompletableFuture<Void> readerDone = new CompletableFuture<>();
  private int nextId = 1;

  private LspSession(OutputStream toServer, InputStream fromServer) {
    this.toServer = toServer;
    Thread reader = new Thread(() -> {
      read(fromServer);
      readerDone.complete(null);
    }, "lsp-test-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** {@code meshlint lsp ARGS} in this JVM, writing rule pages under {@code pages}. */
  static LspSession start(Path pages, String... args) throws IOException {
    Pipe in = Pipe.open();
    Pipe out = Pipe.open();
    LspSession session = new LspSession(Channels.newOutputStream(in.sink()), Channels.newInputStream(out.source()));
    LspCommand command = new LspCommand();
    new CommandLine(command).parseArgs(args);
    Thread server = new Thread(() -> {
      try (OutputStream serverOut = Channels.newOutputStream(out.sink())) {
        session.status.complete(command.serve(Channels.newInputStream(in.source()), serverOut, pages));
      } catch (Throwable t) {
        session.status.completeExceptionally(t);
      }
    }, "lsp-under-test");
    server.setDaemon(true);
    server.start();
    return session;
  }

  /** A server in a process of its own, such as the launcher's; its standard error goes to {@code log}. */
  static LspSession start(ProcessBuilder command, Path log) throws IOException {
    Process process = command.redirectError(log.toFile()).start();
    LspSession session = new LspSession(process.getOutputStream(), process.getInputStream());
    process.onExit().thenAccept(p -> session.status.complete(p.exitValue()));
    return session;
  }

  /** Starts a server in this JVM and initializes it with these workspace folders and client capabilities. */
  static LspSession initialized(Path pages, List<Path> folders, ObjectNode capabilities) throws IOException {
    return start(pages).initialize(folders, capabilities);
  }

  /** Sends initialize with these workspace folders and client capabilities, then initialized. */
  LspSession initialize(List<Path> folders, ObjectNode capabilities) {
    ObjectNode params = JSON.createObjectNode();
    params.putNull("processId");
    params.set("capabilities", capabilities == null ? JSON.createObjectNode() : capabilities);
    var list = params.putArray("workspaceFolders");
    for (Path f : folders) {
      list.addObject().put("uri", f.toUri().toString()).put("name", f.getFileName().toString());
    }
    request("initialize", params);
    notify("initialized", JSON.createObjectNode());
    return this;
  }

  /** Sends a request and waits for its response (result or error). */
  JsonNode request(String method, Object params) {
    int id = nextId++;
    CompletableFuture<JsonNode> response = new CompletableFuture<>();
    responses.put(id, response);
    ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
    message.set("params", JSON.valueToTree(params));
    send(message.toString());
    try {
      return response.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("no response to " + method + " within " + TIMEOUT_SECONDS + " s", e);
    }
  }

  void notify(String method, Object params) {
    ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
    message.set("params", JSON.valueToTree(params));
    send(message.toString());
  }

  void open(Path file, String text) {
    open(file.toUri().toString(), text);
  }

  void open(String uri, String text) {
    ObjectNode doc = JSON.createObjectNode().put("uri", uri).put("languageId", "yaml").put("version", 1).put("text", text);
    notify("textDocument/didOpen", JSON.createObjectNode().set("textDocument", doc));
  }

  /** Replaces the whole text (a full-text change). */
  void replace(Path file, int version, String text) {
    ObjectNode params = JSON.createObjectNode();
    params.putObject("textDocument").put("uri", file.toUri().toString()).put("version", version);
    params.putArray("contentChanges").addObject().put("text", text);
    notify("textDocument/didChange", params);
  }

  /** An incremental change: replaces the text between two positions (0-based line, character). */
  void edit(Path file, int version, int line, int from, int toLine, int to, String text) {
    ObjectNode params = JSON.createObjectNode();
    params.putObject("textDocument").put("uri", file.toUri().toString()).put("version", version);
    ObjectNode change = params.putArray("contentChanges").addObject();
    change.set("range", range(line, from, toLine, to));
    change.put("text", text);
    notify("textDocument/didChange", params);
  }

  void close(Path file) {
    notify("textDocument/didClose", JSON.createObjectNode().set("textDocument",
        JSON.createObjectNode().put("uri", file.toUri().toString())));
  }

  static ObjectNode range(int line, int from, int toLine, int to) {
    ObjectNode range = JSON.createObjectNode();
    range.putObject("start").put("line", line).put("character", from);
    range.putObject("end").put("line", toLine).put("character", to);
    return range;
  }

  /** Writes a raw body with its header, for bodies that are not JSON. */
  void sendRaw(String body) {
    send(body);
  }

  /** The next diagnostics published for {@code file} that {@code accept} takes; earlier ones are skipped. */
  JsonNode diagnostics(Path file, Predicate<JsonNode> accept) {
    String uri = file.toUri().toString();
    return next("diagnostics for " + uri, n -> n.path("method").asText().equals("textDocument/publishDiagnostics")
        && n.at("/params/uri").asText().equals(uri) && accept.test(n.get("params"))).get("params");
  }

  /** The next error response that answers no request of ours (an unreadable body has no id to answer). */
  JsonNode nextUnanswered() {
    return next("an error response", n -> n.has("error") && !n.has("method"));
  }

  /** The next notification (or unmatched response) that {@code accept} takes, skipping the others. */
  JsonNode next(String what, Predicate<JsonNode> accept) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    List<String> skipped = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      JsonNode n;
      try {
        n = notifications.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      if (n != null) {
        if (accept.test(n)) {
          return n;
        }
        skipped.add(n.toString());
      }
    }
    return fail("no " + what + " within " + TIMEOUT_SECONDS + " s; skipped: " + skipped);
  }

  /** Asks the server to shut down, then to exit, as an editor closing; returns its exit status. */
  int shutdownAndExit() {
    request("shutdown", null);
    notify("exit", null);
    return exitStatus();
  }

  /** Waits for the server to end and returns its exit status. */
  int exitStatus() {
    try {
      return status.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the server did not end", e);
    }
  }

  /** Closes the server's input: the end of input. */
  void endInput() throws IOException {
    toServer.close();
  }

  /** Asserts that all the server wrote was frames: all it wrote, once it has ended. */
  void assertOnlyFrames() {
    if (status.isDone()) {
      try {
        readerDone.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("the server's output did not end", e);
      }
    }
    assertEquals(null, framingError, "the server wrote something that is not an LSP frame");
  }

  @Override
  public void close() throws IOException {
    toServer.close();
  }

  private synchronized void send(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try {
      toServer.write(("Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      toServer.write(bytes);
      toServer.flush();
    } catch (IOException e) {
      throw new AssertionError("cannot write to the server", e);
    }
  }

  /** Reads frames until the server's output ends: headers, a blank line, exactly Content-Length bytes of JSON. */
  private void read(InputStream in) {
    try {
      while (true) {
        int length = -1;
        String line;
        while (!(line = headerLine(in)).isEmpty()) {
          int colon = line.indexOf(':');
          if (colon < 0) {
            framingError = "not a header: " + line;
            return;
          }
          if (line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
            length = Integer.parseInt(line.substring(colon + 1).trim());
          }
        }
        if (length < 0) {
          framingError = "a frame without Content-Length";
          return;
        }
        JsonNode message = JSON.readTree(in.readNBytes(length));
        if (message.has("id") && !message.has("method")) {
          CompletableFuture<JsonNode> waiting = message.get("id").isInt() ? responses.get(message.get("id").asInt()) : null;
          if (waiting != null) {
            waiting.complete(message);
          } else {
            notifications.add(message); // a response to no request of ours: an error about an unreadable body
          }
        } else if (message.has("id")) {
          // A request from the server (registerCapability...): answer it as an editor would.
          ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0");
          reply.set("id", message.get("id"));
          reply.putNull("result");
          send(reply.toString());
        } else {
          notifications.add(message);
        }
      }
    } catch (EndOfInput e) {
      // the server ended
    } catch (IOException | RuntimeException e) {
      framingError = e.toString();
    }
  }

  private static final class EndOfInput extends IOException {}

  private static String headerLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EndOfInput();
      }
      if (c == '\n') {
        String s = line.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(c);
    }
  }
}
