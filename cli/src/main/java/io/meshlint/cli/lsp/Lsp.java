package io.meshlint.cli.lsp;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.meshlint.core.Linter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageIssueException;
import org.eclipse.lsp4j.jsonrpc.MessageIssueHandler;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.RemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.json.ConcurrentMessageProcessor;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.json.StreamMessageProducer;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.MessageIssue;
import org.eclipse.lsp4j.jsonrpc.messages.RequestMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.services.LanguageClient;

/**
 * {@code meshlint lsp}: the Language Server Protocol over a pair of streams, on Eclipse LSP4J. On
 * top of LSP4J's JSON-RPC: a body that is not JSON is answered with a parse error (LSP4J only logs
 * it), a request for a method the server does not implement with "method not found" (LSP4J's
 * interfaces declare every method of the protocol, and call the unimplemented ones to throw), and the
 * exit status follows the protocol: 0 after {@code shutdown} then {@code exit}, 1 otherwise.
 */
public final class Lsp {
  /**
   * LSP4J logs through java.util.logging, to standard error; warnings (an unknown notification) are
   * enough. Held here: java.util.logging forgets the level of a logger nothing refers to.
   */
  private static final Logger LSP4J_LOG = Logger.getLogger("org.eclipse.lsp4j");

  private Lsp() {}

  /** How the command line sets up lint runs. */
  public interface Setup {
    /** The project config in force in {@code folder} (null: outside every folder), or null for none. */
    Path configFile(Path folder);

    /** A linter for {@code configFile} (null, or a file that does not exist: no project config). */
    Linter linter(Path configFile);
  }

  /** Where rule pages go by default: the user's cache (see {@link RuleLinks}). */
  public static Path defaultPages(String version) {
    return RuleLinks.userCache(version);
  }

  /**
   * Serves one client until it says {@code exit} or its input ends; returns the exit status.
   *
   * @param pages where the pages of meshlint's rules are written for diagnostics to link to
   */
  public static int serve(Setup setup, Path pages, String version, InputStream in, OutputStream out) {
    LSP4J_LOG.setLevel(Level.WARNING);
    MeshlintServer server = new MeshlintServer(setup, new RuleLinks(pages), version);
    ExecutorService reading = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "meshlint-lsp-reader");
      t.setDaemon(true);
      return t;
    });
    Builder builder = new Builder();
    builder.setLocalService(server)
        .setRemoteInterface(LanguageClient.class)
        .setInput(in)
        .setOutput(out)
        .setExecutorService(reading)
        .setExceptionHandler(Lsp::error);
    Launcher<LanguageClient> launcher = builder.create();
    server.connect(launcher.getRemoteProxy());
    Future<Void> listening = launcher.startListening();
    reading.execute(() -> {
      try {
        listening.get();
      } catch (InterruptedException | ExecutionException e) {
        // the input is gone either way
      }
      server.exit.complete(1); // the end of input without exit: no-op when exit came first
    });
    try {
      return server.exit.join();
    } finally {
      server.stop();
      reading.shutdownNow();
    }
  }

  /** The error answered for a request whose handler failed. */
  private static ResponseError error(Throwable thrown) {
    Throwable cause = thrown;
    while ((cause instanceof CompletionException || cause instanceof InvocationTargetException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ResponseErrorException e) {
      return e.getResponseError();
    }
    if (cause instanceof UnsupportedOperationException) {
      return new ResponseError(ResponseErrorCode.MethodNotFound, "meshlint does not implement this method", null);
    }
    System.err.println("meshlint lsp: internal error: " + cause);
    cause.printStackTrace();
    return new ResponseError(ResponseErrorCode.InternalError, "meshlint: internal error: " + cause, null);
  }

  /** LSP4J's launcher with {@link Reader} in place of its stream reader. */
  private static final class Builder extends Launcher.Builder<LanguageClient> {
    private MessageJsonHandler json;
    private RemoteEndpoint endpoint;

    @Override
    protected RemoteEndpoint createRemoteEndpoint(MessageJsonHandler jsonHandler) {
      json = jsonHandler;
      endpoint = super.createRemoteEndpoint(jsonHandler);
      return endpoint;
    }

    @Override
    protected ConcurrentMessageProcessor createMessageProcessor(MessageProducer reader, MessageConsumer consumer,
        LanguageClient remoteProxy) {
      return new ConcurrentMessageProcessor(new Reader(input, json, endpoint), consumer);
    }
  }

  /**
   * Reads framed messages as LSP4J does, and answers a body that is not a JSON-RPC message: with a
   * parse error (-32700) when it is not JSON, an invalid request (-32600) when it is JSON of another
   * shape; both with a null id, as JSON-RPC asks when the id cannot be read.
   */
  private static final class Reader extends StreamMessageProducer {
    private static final TypeAdapter<JsonElement> JSON_VALUE = new Gson().getAdapter(JsonElement.class);
    private final MessageJsonHandler json;
    private final MessageIssueHandler issues;
    private MessageConsumer consumer;

    Reader(InputStream input, MessageJsonHandler json, MessageIssueHandler issues) {
      super(input, json, issues);
      this.json = json;
      this.issues = issues;
    }

    @Override
    public void listen(MessageConsumer callback) {
      consumer = callback;
      super.listen(callback);
    }

    @Override
    protected boolean handleMessage(InputStream input, Headers headers) {
      String body;
      try {
        byte[] bytes = input.readNBytes(headers.contentLength);
        if (bytes.length < headers.contentLength) {
          return false; // the input ended inside a message
        }
        body = new String(bytes, charset(headers.charset));
      } catch (IOException e) {
        return false;
      }
      Message message;
      try {
        message = json.parseMessage(body);
      } catch (MessageIssueException e) {
        // LSP4J reads what it can of a broken body, and would take one cut short for a response.
        if (isJson(body)) {
          issues.handle(e.getRpcMessage(), e.getIssues());
        } else {
          answerUnreadable(body);
        }
        return true;
      } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | ClassCastException e) {
        answerUnreadable(body);
        return true;
      }
      if (message == null) {
        answerUnreadable(body);
        return true;
      }
      try {
        consumer.consume(message);
      } catch (RuntimeException e) {
        // A handler's failure must not stop the reading; requests get their error from the endpoint.
        System.err.println("meshlint lsp: internal error handling a message: " + e);
      }
      return true;
    }

    /** The charset the header names; UTF-8, the protocol's, when it names none this JVM knows. */
    private static Charset charset(String name) {
      try {
        return Charset.forName(name);
      } catch (IllegalArgumentException e) {
        return StandardCharsets.UTF_8;
      }
    }

    /** Whether the body is one JSON value, read strictly (LSP4J's reading forgives unquoted names and more). */
    private static boolean isJson(String body) {
      try (JsonReader reader = new JsonReader(new StringReader(body))) {
        reader.setStrictness(Strictness.STRICT);
        JSON_VALUE.read(reader);
        return reader.peek() == JsonToken.END_DOCUMENT;
      } catch (IOException | JsonParseException | IllegalStateException e) {
        return false;
      }
    }

    private void answerUnreadable(String body) {
      MessageIssue issue = isJson(body)
          ? new MessageIssue("Invalid request: not a JSON-RPC message", ResponseErrorCode.InvalidRequest.getValue())
          : new MessageIssue("Parse error: the body is not JSON", ResponseErrorCode.ParseError.getValue());
      issues.handle(new RequestMessage(), List.of(issue));
    }
  }
}
