/** Scalars: DateTime passes stored text through unchanged; JSON is any JSON value. */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from "graphql";

const RFC3339ISH = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function checkDateTime(value: unknown): string {
  if (typeof value !== "string" || !RFC3339ISH.test(value) || Number.isNaN(Date.parse(value.replace(" ", "T")))) {
    throw new GraphQLError(
      `DateTime must be an RFC 3339 timestamp such as 2025-01-31T10:00:00Z, got ${JSON.stringify(value)}`,
      {
        extensions: { code: "VALIDATION" },
      },
    );
  }
  return value;
}

/** Stored timestamps are returned exactly as stored, so GraphQL answers equal `bd --json`. */
export const DateTimeScalar = new GraphQLScalarType({
  name: "DateTime",
  serialize: (v) => String(v),
  parseValue: checkDateTime,
  parseLiteral: (ast) => checkDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

function literalToJson(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalToJson(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      throw new GraphQLError("invalid JSON literal", { extensions: { code: "VALIDATION" } });
  }
}

export const JsonScalar = new GraphQLScalarType({
  name: "JSON",
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: literalToJson,
});
