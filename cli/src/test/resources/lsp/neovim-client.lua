-- A real editor as the language client: Neovim's built-in LSP client (0.7+: start_client and
-- buf_attach_client, which 0.8's vim.lsp.start wraps) starts `meshlint lsp`, opens a file with a
-- gateway typo, reads back the diagnostics, fixes the typo as an edit would, applies a quick fix
-- through Neovim's own workspace-edit code, and stops the server. What it saw goes to a JSON file.
-- Environment: MESHLINT_CMD (the server's command, one word per line), MESHLINT_WORKSPACE,
-- MESHLINT_TYPO (a file with a typo), MESHLINT_EXTERNAL (a file calling an external host), MESHLINT_OUT.
local out = os.getenv('MESHLINT_OUT')
local root = os.getenv('MESHLINT_WORKSPACE')
local result = { steps = {} }
local exited = false

local function finish(err)
  result.error = err
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qa!')
end

local function seen(buf)
  local items = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(items, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity,
      message = d.message, source = d.source, code = d.code or lsp.code,
      href = lsp.codeDescription and lsp.codeDescription.href or vim.NIL,
    })
  end
  return items
end

local function wait(ms, condition)
  return vim.wait(ms, condition, 20)
end

local client_id = vim.lsp.start_client({
  name = 'meshlint',
  cmd = vim.split(os.getenv('MESHLINT_CMD'), '\n', { trimempty = true }),
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'workspace' } },
  on_exit = function(code) result.exit_code = code; exited = true end,
})
if not client_id then return finish('start_client failed') end

-- 1. The typo, reported on open.
vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('MESHLINT_TYPO')))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)
if not wait(60000, function() return #vim.diagnostic.get(buf) > 0 end) then return finish('no diagnostics for the typo') end
result.typo = seen(buf)

-- 2. Fixed by an edit of the buffer (an incremental change): the diagnostics go.
for row, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  local s, e = line:find('gatway', 1, true)
  if s then vim.api.nvim_buf_set_text(buf, row - 1, s - 1, row - 1, e, { 'gateway' }) end
end
if not wait(30000, function() return #vim.diagnostic.get(buf) == 0 end) then return finish('the fix left diagnostics') end
result.fixed = seen(buf)

-- 3. A quick fix, asked for and applied as Neovim applies code actions.
vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('MESHLINT_EXTERNAL')))
local ext = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(ext, client_id)
if not wait(30000, function() return #vim.diagnostic.get(ext) > 0 end) then return finish('no diagnostics for the external host') end
result.external = seen(ext)
local d = vim.diagnostic.get(ext)[1]
local params = {
  textDocument = { uri = vim.uri_from_bufnr(ext) },
  range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.lnum, character = d.col } },
  context = { diagnostics = {} },
}
local responses = vim.lsp.buf_request_sync(ext, 'textDocument/codeAction', params, 30000) or {}
local actions = (responses[client_id] or {}).result or {}
result.actions = vim.tbl_map(function(a) return { title = a.title, kind = a.kind } end, actions)
if #actions ~= 1 then return finish('expected one code action, got ' .. #actions) end
vim.lsp.util.apply_workspace_edit(actions[1].edit, vim.lsp.get_client_by_id(client_id).offset_encoding)
if not wait(30000, function() return #vim.diagnostic.get(ext) == 0 end) then return finish('the quick fix left diagnostics') end
result.applied = table.concat(vim.api.nvim_buf_get_lines(ext, 0, -1, false), '\n')

-- 4. Stop: Neovim sends shutdown, then exit.
vim.lsp.stop_client(client_id)
if not wait(30000, function() return exited end) then return finish('the server did not exit') end
finish(vim.NIL)
