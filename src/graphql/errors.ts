/** Error mapping: BdError codes become `extensions.code`; anything unexpected is masked. */
import { GraphQLError } from "graphql";
import { BdError } from "../model/errors.ts";

/** Returns the error a client sees for an error raised while executing a request. */
export function maskError(error: unknown, message: string): Error {
  const gql = error instanceof GraphQLError ? error : undefined;
  const original = gql?.originalError ?? error;
  if (original instanceof BdError) {
    return new GraphQLError(original.message, {
      nodes: gql?.nodes,
      path: gql?.path,
      extensions: { code: original.code },
    });
  }
  if (original instanceof GraphQLError) return original; // our own coded errors and validation errors
  if (gql && !gql.originalError) return gql;
  return new GraphQLError(message, {
    nodes: gql?.nodes,
    path: gql?.path,
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  });
}

/** Returns a coded GraphQL error for a broken request limit. */
export function limitError(message: string, code = "LIMIT_EXCEEDED"): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}
