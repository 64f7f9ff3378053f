// Checks every operation document against the served schema with graphql-js,
// as a client's tooling would: `buildSchema(schema.graphql)`, then `parse` and
// `validate` of each `.graphql` file under tests/operations/ and examples/.
//
//   node clients/validate.mjs
//
// Prints one line per file and a summary; exits 1 when the schema does not
// build, a file does not parse or validate, no document is found, or an
// operation is anonymous or defined twice (tools key generated types by
// operation name); 2 on a fatal error.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, buildSchema, parse, validate, validateSchema } from 'graphql';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const roots = ['tests/operations', 'examples'];

/** Every `.graphql` file under `dir`, sorted. */
function graphqlFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules') found.push(...graphqlFiles(path));
    } else if (name.endsWith('.graphql')) {
      found.push(path);
    }
  }
  return found;
}

let schema;
try {
  schema = buildSchema(readFileSync(join(root, 'schema.graphql'), 'utf8'));
} catch (err) {
  console.error(`schema.graphql does not build: ${err.message}`);
  process.exit(1);
}
const schemaErrors = validateSchema(schema);
if (schemaErrors.length > 0) {
  for (const err of schemaErrors) console.error(`schema.graphql: ${err.message}`);
  process.exit(1);
}
const typeCount = Object.keys(schema.getTypeMap()).filter((n) => !n.startsWith('__')).length;
console.log(`schema.graphql: ${typeCount} types`);

let files = 0;
let operations = 0;
let failed = 0;
/** Operation names outside the introspection files, to find duplicates. */
const names = new Map();

for (const dir of roots) {
  for (const path of graphqlFiles(join(root, dir))) {
    const file = relative(root, path);
    files += 1;
    let document;
    try {
      document = parse(readFileSync(path, 'utf8'));
    } catch (err) {
      failed += 1;
      console.log(`FAIL ${file}: ${err.message}`);
      continue;
    }
    const problems = validate(schema, document).map((err) => {
      const at = err.locations?.[0];
      return at ? `${at.line}:${at.column}: ${err.message}` : err.message;
    });
    const ops = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (ops.length === 0) problems.push('no operation');
    for (const op of ops) {
      if (!op.name) {
        problems.push(`an anonymous ${op.operation}`);
        continue;
      }
      const name = op.name.value;
      // The two introspection files are graphql-js's own query, twice.
      if (!file.includes('introspection')) {
        if (names.has(name)) problems.push(`operation ${name} is also in ${names.get(name)}`);
        else names.set(name, file);
      }
    }
    operations += ops.length;
    if (problems.length > 0) {
      failed += 1;
      console.log(`FAIL ${file}`);
      for (const problem of problems) console.log(`     ${problem}`);
    } else {
      console.log(`ok   ${file}: ${ops.map((op) => `${op.operation} ${op.name.value}`).join(', ')}`);
    }
  }
}

console.log(`validate: ${files} files, ${operations} operations, ${failed} failed`);
if (files === 0) {
  console.error('no .graphql file found under tests/operations/ or examples/');
  process.exit(1);
}
process.exit(failed > 0 ? 1 : 0);
