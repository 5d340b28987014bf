/** bd's version (printed as `bd version X.Y.Z (deno)`). */
export const VERSION = "1.0.0";
