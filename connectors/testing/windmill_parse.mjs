// Windmill's own Python signature parser (npm windmill-parser-wasm-py, the one Windmill's UI and
// CLI use) on script files: node windmill_parse.mjs NODE_MODULES FILE... prints
// {"FILE": <MainArgSignature>, ...} as JSON on stdout.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, ...files] = process.argv.slice(2);
const dir = join(modules, "windmill-parser-wasm-py");
const parser = await import(pathToFileURL(join(dir, "windmill_parser_wasm.js")).href);
parser.initSync({ module: readFileSync(join(dir, "windmill_parser_wasm_bg.wasm")) });
const parsed = {};
for (const file of files) {
  parsed[file] = JSON.parse(parser.parse_python(readFileSync(file, "utf8")));
}
process.stdout.write(JSON.stringify(parsed));
