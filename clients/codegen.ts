// graphql-codegen: TypeScript types for the schema and for every operation
// document (the ones the Rust tests send, under tests/operations/, and the
// examples a frontend copies, under examples/operations/).
//
//   cd clients && node_modules/.bin/graphql-codegen --config codegen.ts
//
// Writes generated/schema.ts (the schema's types) and generated/graphql.ts
// (the operations' types); neither is committed: both are rebuilt from the
// schema and the documents.
//
// Enums become string unions and scalars plain types, so the output is
// types only: `import type` it, nothing of it exists at run time.

import type { CodegenConfig } from '@graphql-codegen/cli';

/** Settings both outputs share. */
const shared = {
  enumsAsTypes: true,
  strictScalars: true,
  useTypeImports: true,
  scalars: {
    // Money: a string such as "12.50" on output; a string or an integer on input.
    Decimal: { input: 'string | number', output: 'string' },
    DateTime: 'string',
    JSON: 'Record<string, unknown>',
    ID: 'string',
  },
};

const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: [
    '../tests/operations/**/*.graphql',
    // The two introspection queries are graphql-js's own (same operation and
    // fragment names, so they cannot share one output); validate.mjs checks
    // them, and tools generate nothing from them.
    '!../tests/operations/introspection*.graphql',
    '../examples/**/*.graphql',
  ],
  // Fail instead of generating nothing when the globs match no document.
  ignoreNoDocuments: false,
  generates: {
    // Every type of the schema: objects, inputs, enums, scalars.
    'generated/schema.ts': {
      plugins: ['typescript'],
      config: shared,
    },
    // One type per operation (`ListOrdersQuery`, `ListOrdersQueryVariables`,
    // …), built on the schema types above. typescript-operations 6 would
    // otherwise emit the inputs and enums it uses itself, and the two plugins
    // in one file would declare them twice.
    'generated/graphql.ts': {
      plugins: ['typescript-operations'],
      config: { ...shared, importSchemaTypesFrom: './generated/schema.ts' },
    },
  },
};

export default config;
