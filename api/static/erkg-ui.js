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

  // ------------------------------------------------------------ parameter forms
  // A named query's tab gets a form for its parameters. The server binds them
  // (GET api/v1/queries/{name}/text, the binding of the query's REST endpoint)
  // and the tab runs the text it answers: nothing is bound here.
  var form = document.getElementById("erkg-params");
  var fields = document.getElementById("erkg-params-fields");
  var message = document.getElementById("erkg-params-message");
  var byTab = {};
  config.examples.forEach(function (e) { byTab[e.id] = e; });
  var choices = {};   // namespace -> [{value: "role:cmo", label: "Chief Marketing Officer"}]

  var say = function (text) {
    message.textContent = text || "";
    message.hidden = !text;
  };

  // The resources of every namespace a parameter takes, by label, from the graph.
  var namespaces = [];
  config.examples.forEach(function (e) {
    e.params.forEach(function (p) {
      if (p.namespace && namespaces.indexOf(p.namespace) < 0) namespaces.push(p.namespace);
    });
  });
  var loadChoices = function () {
    if (!namespaces.length) return Promise.resolve();
    var query = "SELECT ?ns ?s ?label WHERE { VALUES ?ns { " +
      namespaces.map(function (ns) { return JSON.stringify(ns); }).join(" ") + " } " +
      "?s <http://www.w3.org/2000/01/rdf-schema#label> ?label " +
      'FILTER (LANG(?label) = "en" && STRSTARTS(STR(?s), ?ns)) } ORDER BY ?ns LCASE(?label)';
    return fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json" },
      body: query,
    }).then(function (r) { return r.json(); }).then(function (answer) {
      answer.results.bindings.forEach(function (b) {
        var ns = b.ns.value;
        var prefix = config.examples.reduce(function (found, e) {
          return found || e.params.reduce(function (f, p) { return f || (p.namespace === ns ? p.prefix : null); }, null);
        }, null);
        (choices[ns] = choices[ns] || []).push({ value: prefix + ":" + b.s.value.slice(ns.length), label: b.label.value });
      });
    });
  };

  var field = function (e, p, i) {
    var label = document.createElement("label");
    label.title = p.description;
    label.appendChild(document.createTextNode("?" + p.name));
    var input;
    if (p.choices.length) {
      input = document.createElement("select");
      [""].concat(p.choices).forEach(function (c) {
        var option = document.createElement("option");
        option.value = c;
        option.textContent = c || "(not set)";
        input.appendChild(option);
      });
    } else {
      input = document.createElement("input");
      input.type = "text";
      input.placeholder = p.example ? "e.g. " + p.example : p.kind;
      if (p.namespace && choices[p.namespace]) {
        var list = document.createElement("datalist");
        list.id = "erkg-choices-" + e.name + "-" + i;
        choices[p.namespace].forEach(function (c) {
          var option = document.createElement("option");
          option.value = c.value;
          option.label = c.label;
          option.textContent = c.label;
          list.appendChild(option);
        });
        label.appendChild(list);
        input.setAttribute("list", list.id);
      }
    }
    input.name = p.name;
    input.value = p.default || "";
    label.appendChild(input);
    return label;
  };

  var render = function (tabId) {
    var e = byTab[tabId];
    say("");
    if (!e || !e.params.length) {
      form.hidden = true;
      return;
    }
    document.getElementById("erkg-params-query").textContent = e.name;
    fields.textContent = "";
    e.params.forEach(function (p, i) { fields.appendChild(field(e, p, i)); });
    form.dataset.tab = tabId;
    form.hidden = false;
  };

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var tab = yasgui.getTab(form.dataset.tab);
    var e = byTab[form.dataset.tab];
    var params = new URLSearchParams();
    Array.prototype.forEach.call(fields.querySelectorAll("input, select"), function (input) {
      if (input.value.trim()) params.append(input.name, input.value.trim());
    });
    var url = new URL(config.namedQueries + "/" + encodeURIComponent(e.name) + "/text?" + params, window.location.href);
    fetch(url, { headers: { Accept: "application/sparql-query, application/problem+json" } }).then(function (r) {
      return r.text().then(function (body) {
        if (!r.ok) {
          var problem;
          try { problem = JSON.parse(body); } catch (err) { problem = { detail: body }; }
          throw new Error(problem.detail || problem.title || r.statusText);
        }
        return body;
      });
    }).then(function (text) {
      say("");
      tab.setQuery(text);
      tab.query();
    }, function (err) { say(err.message); });
  });

  // A VALUES block at the end of a query is joined with the answer of the whole
  // query (SPARQL 1.1, section 18.2.4.3): it does not bind a parameter where the
  // query uses it (in a FILTER, an OPTIONAL), so ?lang there would stay unset.
  // Said, not silently ignored, when a named query's tab ends with one.
  var TRAILING_VALUES = /\bVALUES\s*(\(\s*(?:[?$]\w+\s*)+\)|[?$]\w+)\s*\{[^{}]*\}\s*$/i;
  yasgui.on("query", function (instance, tab) {
    var e = byTab[tab.getId()];
    if (!e || tab.getId() !== form.dataset.tab) return;
    var code = tab.getQuery().replace(/#[^\n]*/g, "");
    var m = TRAILING_VALUES.exec(code);
    var named = m ? e.params.filter(function (p) {
      return new RegExp("[?$]" + p.name + "\\b").test(m[1]);
    }).map(function (p) { return "?" + p.name; }) : [];
    say(named.length ? "The VALUES block at the end of the query does not set " + named.join(", ") +
      ": SPARQL joins it with the answer of the whole query, after the filters that use the parameter " +
      "(SPARQL 1.1, 18.2.4.3). Set parameters in this form instead." : "");
  });

  yasgui.on("tabSelect", function (instance, tabId) { render(tabId); });
  loadChoices().catch(function () { /* the fields still take any value */ }).then(function () {
    render(yasgui.getTab().getId());
  });

  window.yasgui = yasgui;
})();
