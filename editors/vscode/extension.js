// The smallest VS Code client for `meshlint lsp`: starts the server over standard input and output
// and gives it every YAML and JSON file of the workspace. See docs/editors.md.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate() {
  const config = vscode.workspace.getConfiguration('meshlint');
  const server = { command: config.get('path'), args: ['lsp', ...config.get('args')] };
  client = new LanguageClient('meshlint', 'meshlint', server, {
    documentSelector: [{ scheme: 'file', pattern: '**/*.{yaml,yml,json}' }],
  });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
