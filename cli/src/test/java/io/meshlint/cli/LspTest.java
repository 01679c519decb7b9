package io.meshlint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshlint lsp} at the protocol level: a client on pipes with real framing, as an editor
 * drives it, against a workspace folder on disk.
 */
class LspTest {
  static final String GATEWAY = """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata:
        name: calcapps-dev-gateway
        namespace: dev
      spec:
        selector:
          istio: ingressgateway
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["me.example.com"]
      """;
  static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata: {name: calcfrontendsvc, namespace: dev}
      spec:
        selector: {app: calcfrontend}
        ports: [{name: http, port: 80}]
      """;
  /** The seed's VirtualService with its gateway misspelt, on line 9 (0-based) from character 4 to 23. */
  static final String TYPO = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: calcapp-dev-vs
        namespace: dev
      spec:
        hosts:
        - "me.example.com"
        gateways:
        - calcapps-dev-gatway
        http:
        - route:
          - destination:
              host: calcfrontendsvc
      """;
  /** A Deployment calling a host outside the mesh (MSH1002 on line 15, 0-based), then a Service. */
  static final String EXTERNAL = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: checkout, namespace: shop}
      spec:
        selector:
          matchLabels: {app: checkout}
        template:
          metadata:
            labels: {app: checkout}
          spec:
            containers:
            - name: checkout
              image: shop/checkout
              env:
              - name: PAYMENTS_URL
                value: https://api.payments.example/v1
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: checkout, namespace: shop}
      spec:
        selector: {app: checkout}
        ports: [{name: http, port: 80}]
      """;
  static final String FIXED = TYPO.replace("calcapps-dev-gatway", "calcapps-dev-gateway");
  static final String IST0101_PAGE = "https://istio.io/latest/docs/reference/config/analysis/ist0101/";

  @TempDir
  Path workspace;
  @TempDir
  Path pages;
  Path gateway;
  Path virtualService;

  @BeforeEach
  void writeWorkspace() throws IOException {
    gateway = Files.writeString(workspace.resolve("gateway.yaml"), GATEWAY);
    Files.writeString(workspace.resolve("service.yaml"), SERVICE);
    virtualService = Files.writeString(workspace.resolve("vs.yaml"), TYPO);
  }

  LspSession session() throws IOException {
    return LspSession.initialized(pages, List.of(workspace), null);
  }

  @Test
  void advertisesTextSyncCodeActionsAndUtf16() throws IOException {
    try (LspSession lsp = LspSession.start(pages)) {
      JsonNode result = lsp.request("initialize", LspSession.JSON.createObjectNode()
          .put("rootUri", workspace.toUri().toString()).set("capabilities", LspSession.JSON.createObjectNode())).get("result");
      JsonNode capabilities = result.get("capabilities");
      assertTrue(capabilities.at("/textDocumentSync/openClose").asBoolean());
      assertEquals(2, capabilities.at("/textDocumentSync/change").asInt(), "incremental sync");
      assertEquals("quickfix", capabilities.at("/codeActionProvider/codeActionKinds/0").asText());
      assertEquals("utf-16", capabilities.get("positionEncoding").asText());
      assertEquals("meshlint", result.at("/serverInfo/name").asText());
      lsp.assertOnlyFrames();
    }
  }

  @Test
  void reportsAGatewayTypoAndClearsItWhenTheEditFixesIt() throws IOException {
    try (LspSession lsp = session()) {
      lsp.open(virtualService, TYPO);
      JsonNode published = lsp.diagnostics(virtualService, p -> true);
      assertEquals(1, published.get("version").asInt());
      JsonNode diagnostics = published.get("diagnostics");
      // As istioctl, a gateway that is not there also serves none of the VirtualService's hosts.
      assertEquals(List.of("IST0101", "IST0132"), codes(diagnostics), diagnostics.toString());
      JsonNode d = diagnostics.get(0);
      assertEquals("IST0101", d.get("code").asText());
      assertEquals("meshlint", d.get("source").asText());
      assertEquals(1, d.get("severity").asInt());
      assertEquals("Referenced gateway not found: \"calcapps-dev-gatway\"", d.get("message").asText());
      assertEquals(IST0101_PAGE, d.at("/codeDescription/href").asText());
      assertEquals(LspSession.range(9, 4, 9, 23), d.get("range"));

      // An incremental edit fixes the name; the file on disk still has the typo: the editor's text wins.
      lsp.edit(virtualService, 2, 9, 4, 9, 23, "calcapps-dev-gateway");
      JsonNode fixed = lsp.diagnostics(virtualService, p -> p.path("version").asInt() == 2);
      assertEquals(0, fixed.get("diagnostics").size(), fixed.toString());

      lsp.close(virtualService);
      JsonNode closed = lsp.diagnostics(virtualService, p -> true);
      assertEquals(0, closed.get("diagnostics").size());
      lsp.assertOnlyFrames();
    }
  }

  @Test
  void renamingAGatewayInOneOpenFileUpdatesTheVirtualServiceOpenInAnother() throws IOException {
    Files.writeString(virtualService, FIXED);
    try (LspSession lsp = session()) {
      lsp.open(virtualService, FIXED);
      assertEquals(0, lsp.diagnostics(virtualService, p -> true).get("diagnostics").size());
      lsp.open(gateway, GATEWAY);
      assertEquals(0, lsp.diagnostics(gateway, p -> true).get("diagnostics").size());

      lsp.edit(gateway, 2, 3, 8, 3, 28, "calcapps-prod-gateway");
      JsonNode broken = lsp.diagnostics(virtualService, p -> p.get("diagnostics").size() > 0);
      assertEquals(1, broken.get("version").asInt(), "diagnostics name the version of the text they come from");
      JsonNode d = broken.get("diagnostics").get(0);
      assertEquals("IST0101", d.get("code").asText());
      assertEquals("Referenced gateway not found: \"calcapps-dev-gateway\"", d.get("message").asText());
      assertEquals(LspSession.range(9, 4, 9, 24), d.get("range"));

      lsp.edit(gateway, 3, 3, 8, 3, 29, "calcapps-dev-gateway");
      assertEquals(0, lsp.diagnostics(virtualService, p -> true).get("diagnostics").size());
    }
  }

  @Test
  void theFolderIsTheContextAndItsProjectConfigApplies(@TempDir Path elsewhere) throws IOException {
    Files.writeString(workspace.resolve(".meshlint.yaml"), "rules: {IST0101: warning}\n");
    Path outside = Files.writeString(elsewhere.resolve("vs.yaml"), FIXED);
    try (LspSession lsp = session()) {
      lsp.open(virtualService, TYPO);
      JsonNode d = lsp.diagnostics(virtualService, p -> true).get("diagnostics");
      assertEquals(List.of("IST0101", "IST0132"), codes(d), d.toString());
      assertEquals(2, d.get(0).get("severity").asInt(), "the folder's .meshlint.yaml makes IST0101 a warning");

      // Outside every folder a document is linted alone, with the built-in settings: its gateway is nowhere.
      lsp.open(outside, FIXED);
      JsonNode alone = lsp.diagnostics(outside, p -> true).get("diagnostics");
      List<String> messages = new ArrayList<>();
      alone.forEach(n -> messages.add(n.get("severity").asInt() + " " + n.get("message").asText()));
      assertTrue(messages.contains("1 Referenced gateway not found: \"calcapps-dev-gateway\""), messages.toString());
      assertTrue(messages.contains("1 Referenced host not found: \"calcfrontendsvc\""), messages.toString());
    }
  }

  @Test
  void aQuickFixAddsTheSuggestedServiceEntryAfterTheFindingsDocument() throws IOException {
    Path file = Files.writeString(workspace.resolve("checkout.yaml"), EXTERNAL);
    try (LspSession lsp = session()) {
      lsp.open(file, EXTERNAL);
      JsonNode diagnostics = lsp.diagnostics(file, p -> true).get("diagnostics");
      assertEquals(1, diagnostics.size(), diagnostics.toString());
      JsonNode d = diagnostics.get(0);
      assertEquals("MSH1002", d.get("code").asText());
      assertEquals(15, d.at("/range/start/line").asInt());
      // meshlint's own rules link to their page as `meshlint explain` prints it, written where the server was told.
      URI page = URI.create(d.at("/codeDescription/href").asText());
      assertEquals("file", page.getScheme());
      assertEquals(Cli.run("explain", "MSH1002").out(), Files.readString(Path.of(page), StandardCharsets.UTF_8));
      assertTrue(Path.of(page).startsWith(pages));

      ObjectNode params = LspSession.JSON.createObjectNode();
      params.putObject("textDocument").put("uri", file.toUri().toString());
      params.set("range", LspSession.range(15, 10, 15, 10));
      params.putObject("context").putArray("diagnostics");
      JsonNode actions = lsp.request("textDocument/codeAction", params).get("result");
      assertEquals(1, actions.size(), actions.toString());
      JsonNode fix = actions.get(0);
      assertEquals("quickfix", fix.get("kind").asText());
      assertEquals("Add ServiceEntry shop/api-payments-example after this document", fix.get("title").asText());
      assertEquals(d, fix.get("diagnostics").get(0));
      JsonNode edits = fix.at("/edit/changes").get(file.toUri().toString());
      assertEquals(1, edits.size());
      JsonNode edit = edits.get(0);
      assertEquals(LspSession.range(16, 0, 16, 0), edit.get("range"), "inserted before the next document's separator");
      String inserted = edit.get("newText").asText();
      assertTrue(inserted.startsWith("---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"), inserted);

      // Applied, the file holds the ServiceEntry as a document of its own and the finding is gone.
      List<String> lines = new ArrayList<>(EXTERNAL.lines().toList());
      lines.add(16, inserted.stripTrailing());
      String applied = String.join("\n", lines) + "\n";
      lsp.replace(file, 2, applied);
      JsonNode after = lsp.diagnostics(file, p -> p.path("version").asInt() == 2);
      assertEquals(0, after.get("diagnostics").size(), after.toString());
      assertEquals(3, applied.split("(?m)^---$").length);
    }
  }

  /** Line 8 (0-based) of {@link #UNICODE}: an emoji and an accent before the typo. */
  static final String UNICODE_LINE = "  gateways: [\"é😀\", calcapps-dev-gatway]";
  static final String UNICODE = TYPO.replace("  gateways:\n  - calcapps-dev-gatway\n", UNICODE_LINE + "\n");

  @Test
  void charactersCountUtf16CodeUnitsAndEditsUseThem() throws IOException {
    int quoted = UNICODE_LINE.indexOf("\"é😀\"");
    int typo = UNICODE_LINE.indexOf("calcapps-dev-gatway");
    assertEquals(20, typo, "in UTF-16 code units: the emoji counts two");
    try (LspSession lsp = session()) {
      lsp.open(virtualService, UNICODE);
      List<JsonNode> d = withCode(lsp.diagnostics(virtualService, p -> true).get("diagnostics"), "IST0101");
      assertEquals(2, d.size(), d.toString());
      assertEquals(LspSession.range(8, quoted, 8, quoted + 5), d.get(0).get("range"));
      assertEquals(LspSession.range(8, typo, 8, typo + 19), d.get(1).get("range"));

      // Edits count UTF-16 code units too: the emoji (two units) becomes x, then the typo is fixed.
      lsp.edit(virtualService, 2, 8, quoted + 2, 8, quoted + 4, "x");
      List<JsonNode> after = withCode(
          lsp.diagnostics(virtualService, p -> p.path("version").asInt() == 2).get("diagnostics"), "IST0101");
      assertEquals("Referenced gateway not found: \"éx\"", after.get(0).get("message").asText());
      assertEquals(LspSession.range(8, typo - 1, 8, typo + 18), after.get(1).get("range"));
      lsp.edit(virtualService, 3, 8, typo - 1, 8, typo + 18, "calcapps-dev-gateway");
      List<JsonNode> fixed = withCode(
          lsp.diagnostics(virtualService, p -> p.path("version").asInt() == 3).get("diagnostics"), "IST0101");
      assertEquals(1, fixed.size(), fixed.toString());
    }
  }

  @Test
  void countsUtf8BytesWhenTheClientPrefersThem() throws IOException {
    ObjectNode capabilities = LspSession.JSON.createObjectNode();
    capabilities.putObject("general").putArray("positionEncodings").add("utf-8").add("utf-16");
    int typo = UNICODE_LINE.substring(0, UNICODE_LINE.indexOf("calcapps")).getBytes(StandardCharsets.UTF_8).length;
    try (LspSession lsp = LspSession.initialized(pages, List.of(workspace), capabilities)) {
      lsp.open(virtualService, UNICODE);
      List<JsonNode> d = withCode(lsp.diagnostics(virtualService, p -> true).get("diagnostics"), "IST0101");
      assertEquals(2, d.size(), d.toString());
      assertEquals(LspSession.range(8, typo, 8, typo + 19), d.get(1).get("range"));
    }
  }

  @Test
  void answersBadMessagesWithErrorsAndGoesOn() throws IOException {
    try (LspSession lsp = session()) {
      lsp.sendRaw("{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": ");
      JsonNode parseError = lsp.nextUnanswered();
      assertTrue(parseError.get("id").isNull(), parseError.toString());
      assertEquals(-32700, parseError.at("/error/code").asInt());
      lsp.sendRaw("{not json");
      assertEquals(-32700, lsp.nextUnanswered().at("/error/code").asInt());
      lsp.sendRaw("[1, 2]");
      JsonNode invalid = lsp.nextUnanswered();
      assertEquals(-32600, invalid.at("/error/code").asInt(), "JSON, but not a JSON-RPC message");
      assertTrue(invalid.get("id").isNull());

      assertEquals(-32601, lsp.request("meshlint/noSuchMethod", LspSession.JSON.createObjectNode()).at("/error/code").asInt());
      assertEquals(-32601, lsp.request("textDocument/hover", LspSession.JSON.createObjectNode()).at("/error/code").asInt(),
          "a method of the protocol that meshlint does not implement");
      lsp.notify("meshlint/noSuchNotification", LspSession.JSON.createObjectNode());

      // Still serving.
      lsp.open(virtualService, TYPO);
      assertEquals(List.of("IST0101", "IST0132"), codes(lsp.diagnostics(virtualService, p -> true).get("diagnostics")));
      assertEquals(0, lsp.shutdownAndExit());
      lsp.assertOnlyFrames();
    }
  }

  @Test
  void exitWithoutShutdownEndsWithStatusOne() throws IOException {
    try (LspSession lsp = session()) {
      lsp.notify("exit", null);
      assertEquals(1, lsp.exitStatus());
    }
  }

  @Test
  void theEndOfInputEndsWithStatusOne() throws IOException {
    try (LspSession lsp = session()) {
      lsp.request("shutdown", null);
      lsp.endInput();
      assertEquals(1, lsp.exitStatus());
    }
  }

  @Test
  void aFolderAddedToTheWorkspaceBecomesTheContextOfItsDocuments() throws IOException {
    Files.writeString(virtualService, FIXED);
    try (LspSession lsp = LspSession.initialized(pages, List.of(), null)) {
      lsp.open(virtualService, FIXED);
      JsonNode alone = lsp.diagnostics(virtualService, p -> true).get("diagnostics");
      assertEquals(List.of("IST0101", "IST0132", "IST0101"), codes(alone),
          "outside every folder, the Gateway and the Service are nowhere: " + alone);

      ObjectNode params = LspSession.JSON.createObjectNode();
      ObjectNode event = params.putObject("event");
      event.putArray("added").addObject().put("uri", workspace.toUri().toString()).put("name", "workspace");
      event.putArray("removed");
      lsp.notify("workspace/didChangeWorkspaceFolders", params);
      assertEquals(0, lsp.diagnostics(virtualService, p -> true).get("diagnostics").size());
    }
  }

  @Test
  void aBrokenProjectConfigIsShownAndItsFixAppliesWhenSaved() throws IOException {
    Path config = Files.writeString(workspace.resolve(".meshlint.yaml"), "rules: {IST0101: fatal}\n");
    try (LspSession lsp = session()) {
      lsp.open(virtualService, TYPO);
      JsonNode message = lsp.next("showMessage", n -> n.path("method").asText().equals("window/showMessage"));
      assertEquals(1, message.at("/params/type").asInt(), "an error");
      assertTrue(message.at("/params/message").asText().contains("fatal"), message.toString());
      assertEquals(1, lsp.diagnostics(virtualService, p -> true).at("/diagnostics/0/severity").asInt(),
          "built-in settings meanwhile");

      lsp.open(config, "rules: {IST0101: warning}\n");
      Files.writeString(config, "rules: {IST0101: warning}\n");
      lsp.notify("textDocument/didSave", LspSession.JSON.createObjectNode().set("textDocument",
          LspSession.JSON.createObjectNode().put("uri", config.toUri().toString())));
      JsonNode d = lsp.diagnostics(virtualService, p -> p.at("/diagnostics/0/severity").asInt() == 2);
      assertEquals("IST0101", d.at("/diagnostics/0/code").asText());
    }
  }

  @Test
  void aFileOfTheFolderChangedOnDiskIsSeenWhenADocumentIsSaved() throws IOException {
    Files.writeString(virtualService, FIXED);
    try (LspSession lsp = session()) {
      lsp.open(virtualService, FIXED);
      assertEquals(0, lsp.diagnostics(virtualService, p -> true).get("diagnostics").size());
      // Another tool renames the Gateway on disk; the editor saves the VirtualService.
      Files.writeString(gateway, GATEWAY.replace("calcapps-dev-gateway", "renamed"));
      lsp.notify("textDocument/didSave", LspSession.JSON.createObjectNode().set("textDocument",
          LspSession.JSON.createObjectNode().put("uri", virtualService.toUri().toString())));
      JsonNode d = lsp.diagnostics(virtualService, p -> p.get("diagnostics").size() > 0).get("diagnostics");
      assertEquals("IST0101", d.get(0).get("code").asText());
      assertFalse(d.toString().contains("renamed"));
    }
  }

  static List<String> codes(JsonNode diagnostics) {
    List<String> codes = new ArrayList<>();
    diagnostics.forEach(d -> codes.add(d.get("code").asText()));
    return codes;
  }

  static List<JsonNode> withCode(JsonNode diagnostics, String code) {
    List<JsonNode> out = new ArrayList<>();
    diagnostics.forEach(d -> {
      if (d.get("code").asText().equals(code)) {
        out.add(d);
      }
    });
    return out;
  }
}
