// The schema `wmill generate-metadata` writes for Python scripts (npm windmill-cli's inferSchema,
// with argSigToJsonSchemaType from npm windmill-utils-internal, the module windmill-cli bundles),
// from Windmill's parser (npm windmill-parser-wasm-py) and the schema already in .script.yaml.
// stdin: {"modules": NODE_MODULES, "scripts": [{"file": PATH, "schema": {...}}]}
// stdout: {PATH: schema, ...}
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const { modules, scripts } = JSON.parse(readFileSync(0, "utf8"));
const require = createRequire(import.meta.url);
const schemaModule = join(modules, "windmill-utils-internal", "dist", "cjs", "parse", "parse-schema.js");
const { argSigToJsonSchemaType } = require(schemaModule);
const dir = join(modules, "windmill-parser-wasm-py");
const parser = await import(pathToFileURL(join(dir, "windmill_parser_wasm.js")).href);
parser.initSync({ module: readFileSync(join(dir, "windmill_parser_wasm_bg.wasm")) });

function sortObject(obj) {
  return Object.keys(obj).sort().reduce((acc, key) => ({ ...acc, [key]: obj[key] }), {});
}

// windmill-cli 1.819.0 src/utils/metadata.ts inferSchema, for python3
function inferSchema(content, currentSchema) {
  const inferred = JSON.parse(parser.parse_python(content));
  currentSchema = currentSchema ?? {};
  currentSchema.required = [];
  const oldProperties = JSON.parse(JSON.stringify(currentSchema?.properties ?? {}));
  currentSchema.properties = {};
  for (const arg of inferred.args) {
    currentSchema.properties[arg.name] =
      arg.name in oldProperties ? oldProperties[arg.name] : { description: "", type: "" };
    currentSchema.properties[arg.name] = sortObject(currentSchema.properties[arg.name]);
    argSigToJsonSchemaType(arg.typ, currentSchema.properties[arg.name]);
    if (arg.otyp && arg.otyp.includes("[") && arg.otyp.includes("|")) {
      currentSchema.properties[arg.name].originalType = arg.otyp;
    }
    currentSchema.properties[arg.name].default = arg.default;
    if (!arg.has_default && !currentSchema.required.includes(arg.name)) {
      currentSchema.required.push(arg.name);
    }
  }
  return currentSchema;
}

const out = {};
for (const { file, schema } of scripts) {
  out[file] = inferSchema(readFileSync(file, "utf8"), schema);
}
process.stdout.write(JSON.stringify(out));
