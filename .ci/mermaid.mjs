// Parse every Mermaid diagram lifeboat writes with the real Mermaid parser.
//
// Usage: node .ci/mermaid.mjs FILE...
// A FILE ending in .mmd is one diagram; any other file is Markdown, and each of
// its ```mermaid blocks is a diagram. For every diagram:
//   - mermaid.parse() must accept it (GitHub renders what it accepts);
//   - no directive (`%%{init: ...}%%`) may reach the configuration: a user's
//     name must not restyle the diagram (and hide the breached nodes);
//   - a flowchart has exactly the nodes and edges lifeboat wrote, one per line:
//     a label cannot add or swallow any.
// Mermaid's parser needs a DOM (DOMPurify); jsdom provides one. Run a
// copy of this file in the folder where `mermaid` and `jsdom` are installed
// (ES modules resolve packages from their own folder; .ci/run does that).
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

function diagrams(file) {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.mmd')) return [text];
  const out = [];
  const re = /^```mermaid\n([\s\S]*?)^```$/gm;
  for (let m; (m = re.exec(text)); ) out.push(m[1]);
  return out;
}

let failed = 0;
let checked = 0;
const files = process.argv.slice(2);
for (const file of files) {
  const found = diagrams(file);
  if (found.length === 0) {
    console.log(`FAILED ${file}: no Mermaid diagram found`);
    failed++;
  }
  for (const [k, text] of found.entries()) {
    const what = `${file}#${k + 1}`;
    checked++;
    try {
      const parsed = await mermaid.parse(text);
      if (Object.keys(parsed.config ?? {}).length > 0) {
        throw new Error(`a directive set the configuration: ${JSON.stringify(parsed.config)}`);
      }
      if (parsed.diagramType.startsWith('flowchart')) {
        const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
        const db = diagram.db;
        const lines = text.split('\n');
        const nodes = lines.filter((l) => /^\s+(?:[a-z]\d+|note)\[/.test(l)).length;
        const edges = lines.filter((l) => /^\s+[a-z]\d+ -/.test(l)).length;
        const gotNodes = db.getVertices().size;
        const gotEdges = db.getEdges().length;
        if (gotNodes !== nodes || gotEdges !== edges) {
          throw new Error(
            `${gotNodes} nodes and ${gotEdges} edges, lifeboat wrote ${nodes} and ${edges}`,
          );
        }
      }
      console.log(`ok ${what} (${parsed.diagramType})`);
    } catch (e) {
      failed++;
      console.log(`FAILED ${what}: ${String(e.message ?? e).split('\n').slice(0, 4).join(' | ')}`);
    }
  }
}
console.log(`${checked} diagrams checked, ${failed} failed`);
process.exit(failed ? 1 : 0);
