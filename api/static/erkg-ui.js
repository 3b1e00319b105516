// Starts YASGUI on the ERKG query page (api/templates/sparql.html): this
// server's endpoint, the project's prefixes in the starter tab, one tab per
// named query. Its data comes from the page's JSON block; nothing here
// reaches another host.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("erkg-ui-config").textContent);
  var root = document.getElementById("yasgui");
  if (typeof window.Yasgui === "undefined") {
    root.textContent = "The query editor (YASGUI) could not be loaded from this server.";
    root.className = "erkg-error";
    return;
  }
  var Yasgui = window.Yasgui;

  // The endpoint is this page's address: resolve it against the page, so the
  // UI works behind any host or path prefix.
  var endpoint = new URL(config.endpoint, window.location.href).href;

  // Only completers that work offline: "class" and "property" ask
  // lov.linkeddata.es. Changed in place: YASGUI merges arrays index-wise.
  var completers = Yasgui.Yasqe.defaults.autocompleters;
  var offline = completers.filter(function (name) { return name !== "class" && name !== "property"; });
  completers.splice.apply(completers, [0, completers.length].concat(offline));

  var yasgui = new Yasgui(root, {
    persistenceId: config.persistenceId,
    autoAddOnInit: false,
    copyEndpointOnNewTab: false,
    tabName: "Query",
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: endpoint }]; },
    },
    yasqe: { value: config.starter, prefixCcApi: null, collapsePrefixesOnLoad: true },
    yasr: { prefixes: config.prefixes },
  });

  // Seed the tabs on a fresh profile (or when none of ours is left): the
  // starter, then every named query. Later visits keep the user's tabs.
  var ours = ["erkg-query"].concat(config.examples.map(function (e) { return e.id; }));
  var present = ours.some(function (id) { return yasgui.getTab(id); });
  if (!present) {
    var hadTabs = yasgui.persistentConfig.getTabs().length > 0;
    yasgui.addTab(!hadTabs, { id: "erkg-query", name: "Query", yasqe: { value: config.starter } });
    config.examples.forEach(function (e) {
      yasgui.addTab(false, { id: e.id, name: e.name, yasqe: { value: e.query } });
    });
  }
  // The query's title as the tab's tooltip.
  config.examples.forEach(function (e) {
    var el = document.querySelector('[aria-controls="' + CSS.escape(e.id) + '"]');
    if (el) el.title = e.title;
  });

  // "Asserted triples only": every tab's requests name the asserted graphs as
  // default-graph-uri. Sent as plain arguments: YASGUI's own defaultGraphs
  // setting sends the named graphs in their place (@zazuko/yasgui 4).
  var asserted = document.getElementById("erkg-asserted");
  if (asserted) {
    var graphArgs = function () {
      return asserted.checked ? config.assertedGraphs.map(function (g) {
        return { name: "default-graph-uri", value: g };
      }) : [];
    };
    var applyAsserted = function () {
      yasgui.persistentConfig.getTabs().forEach(function (id) {
        var tab = yasgui.getTab(id);
        if (tab) tab.setRequestConfig({ args: graphArgs() });
      });
    };
    asserted.addEventListener("change", applyAsserted);
    yasgui.on("tabAdd", applyAsserted);
    applyAsserted();
  }

  window.yasgui = yasgui;
})();
