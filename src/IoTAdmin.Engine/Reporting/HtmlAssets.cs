using System;
using System.Security.Cryptography;
using System.Text;

namespace IoTAdmin.Engine.Reporting;

/// <summary>
/// The inline style sheet and script of the HTML report, and the Content-Security-Policy that
/// allows exactly these two blocks (by hash) and nothing else: no external loads, no injected script.
/// </summary>
internal static class HtmlAssets
{
    public const string Css = @"
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1d1f21; --muted: #5f6368; --line: #d0d4d9;
  --panel: #f4f6f8; --pass: #2e7d32; --fail: #c62828; --na: #8d8d8d; --error: #ef6c00; --waived: #6a1b9a;
  --accent: #1565c0; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #16181b; --fg: #e6e6e6; --muted: #a0a4a8; --line: #3a3f45; --panel: #202429;
    --pass: #66bb6a; --fail: #ef5350; --na: #9e9e9e; --error: #ffa726; --waived: #ba68c8;
    --accent: #64b5f6; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
h1, h2, h3 { line-height: 1.2; }
h2 { border-bottom: 2px solid var(--line); padding-bottom: .2rem; margin-top: 2rem; }
a { color: var(--accent); }
.meta { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; padding: 0; list-style: none; }
.cards li { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .5rem .9rem;
  min-width: 8rem; }
.cards b { display: block; font-size: 1.5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: var(--panel); }
table.sortable th { cursor: pointer; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 4px; font-weight: 600; border: 1px solid; }
.o-Pass, .s-Compliant, .s-Fulfilled { color: var(--pass); }
.o-Fail, .s-NonCompliant, .s-NotFulfilled { color: var(--fail); }
.o-Error, .s-Incomplete { color: var(--error); }
.o-Waived { color: var(--waived); }
.o-NotApplicable, .o-NotChecked, .s-NotAudited, .s-NotChecked, .s-NotApplicable { color: var(--na); }
.sev-Critical, .sev-High { font-weight: 700; }
svg { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
svg text { fill: var(--fg); }
svg .seg-Pass { fill: var(--pass); }
svg .seg-Fail { fill: var(--fail); }
svg .seg-NotApplicable { fill: var(--na); }
svg .seg-Error { fill: var(--error); }
svg .seg-Waived { fill: var(--waived); }
svg .seg-NotChecked { fill: var(--na); fill-opacity: 0.45; }
svg .axis { stroke: var(--line); }
#filters { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .5rem .8rem; }
#filters label { margin-right: 1rem; }
.filtered-out { display: none; }
.device { border: 1px solid var(--line); border-radius: 6px; padding: .2rem 1rem .6rem; margin: 1rem 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.empty { font-style: italic; color: var(--muted); }
@media print {
  :root { --bg: #ffffff; --fg: #000000; --panel: #f2f2f2; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  #filters, .no-print { display: none; }
  .filtered-out { display: table-row; }
  tr, .device, svg { break-inside: avoid; }
  h2 { break-after: avoid; }
}
";

    public const string Script = @"
(function () {
  'use strict';
  var ranks = ['Info', 'Low', 'Medium', 'High', 'Critical'];
  var form = document.getElementById('filters');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr'));
  var counter = document.getElementById('shown');

  function matches(row) {
    var outcome = form.elements.outcome.value;
    var severity = form.elements.severity.value;
    var device = form.elements.device.value;
    return (!outcome || row.getAttribute('data-outcome') === outcome) &&
      (!severity || ranks.indexOf(row.getAttribute('data-severity')) >= ranks.indexOf(severity)) &&
      (!device || row.getAttribute('data-device') === device);
  }

  function applyFilter() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = matches(row);
      row.classList.toggle('filtered-out', !visible);
      if (visible) { shown++; }
    });
    counter.textContent = shown + ' of ' + rows.length + ' findings shown';
  }

  function keyOf(row, index) {
    var cell = row.cells[index];
    return cell.getAttribute('data-sort') || cell.textContent.trim();
  }

  function compareKeys(left, right) {
    var a = parseFloat(left), b = parseFloat(right);
    if (!isNaN(a) && !isNaN(b) && String(a) === left && String(b) === right) { return a - b; }
    return left.localeCompare(right, undefined, { numeric: true });
  }

  function sortBy(table, header, index) {
    var ascending = header.getAttribute('aria-sort') !== 'ascending';
    var body = table.tBodies[0];
    var sorted = Array.prototype.slice.call(body.rows).sort(function (x, y) {
      var order = compareKeys(keyOf(x, index), keyOf(y, index));
      return ascending ? order : -order;
    });
    Array.prototype.forEach.call(header.parentNode.cells, function (cell) { cell.setAttribute('aria-sort', 'none'); });
    header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    sorted.forEach(function (row) { body.appendChild(row); });
  }

  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      header.tabIndex = 0;
      header.title = 'Sort by this column';
      header.addEventListener('click', function () { sortBy(table, header, index); });
      header.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(table, header, index); }
      });
    });
  });

  // Closed details elements would hide the discovery evidence on paper.
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.open = true; });
  });

  if (form) {
    form.hidden = false;
    form.addEventListener('change', applyFilter);
    form.addEventListener('reset', function () { setTimeout(applyFilter, 0); });
    applyFilter();
  }
})();
";

    /// <summary>The policy for the report: only our own inline style and script, nothing from elsewhere.</summary>
    public static string ContentSecurityPolicy =>
        "default-src 'none'; " +
        $"style-src '{HashOf(Css)}'; " +
        $"script-src '{HashOf(Script)}'; " +
        "img-src 'none'; font-src 'none'; connect-src 'none'; object-src 'none'; " +
        "base-uri 'none'; form-action 'none'";

    private static string HashOf(string content)
    {
        using var sha = SHA256.Create();
        var digest = sha.ComputeHash(Encoding.UTF8.GetBytes(content));
        return "sha256-" + Convert.ToBase64String(digest);
    }
}
