// Runs SPARQL queries with Comunica (@comunica/query-sparql, from node_modules) against
// one SPARQL endpoint as a `sparql@` source, and prints each answer as JSON on one
// line: {"boolean": true}, {"bindings": [{var: term}]} or {"quads": [[s, p, o]]},
// each term {termType, value, language, datatype}; or {"error": message}.
// Usage: node comunica.js ENDPOINT < queries.json (a JSON array of query strings).
'use strict';
const { QueryEngine } = require('@comunica/query-sparql');

function term(t) {
  return { termType: t.termType, value: t.value, language: t.language || '', datatype: t.datatype ? t.datatype.value : '' };
}

async function answer(engine, endpoint, query) {
  const context = { sources: [{ type: 'sparql', value: endpoint }] };
  const result = await engine.query(query, context);
  if (result.resultType === 'boolean') {
    return { boolean: await result.execute() };
  }
  if (result.resultType === 'bindings') {
    const bindings = await (await result.execute()).toArray();
    return { bindings: bindings.map((b) => Object.fromEntries([...b].map(([v, t]) => [v.value, term(t)]))) };
  }
  const quads = await (await result.execute()).toArray();
  return { quads: quads.map((q) => [term(q.subject), term(q.predicate), term(q.object)]) };
}

async function main() {
  const endpoint = process.argv[2];
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const queries = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const engine = new QueryEngine();
  for (const query of queries) {
    let out;
    try {
      out = await answer(engine, endpoint, query);
    } catch (e) {
      out = { error: String(e && e.message ? e.message : e) };
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
