// Small, forgiving accessors for JSON event lines: CLIs add fields and reshape payloads between
// releases, so parsers read what they need and ignore the rest instead of validating schemas.

export type JsonObject = Record<string, unknown>;

/** The line as a JSON object, or undefined when it is not one (plain text, a partial line). */
export function parseJsonObject(line: string): JsonObject | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function obj(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

/** Sum of the numeric fields that exist; undefined when none does. */
export function sum(...values: unknown[]): number | undefined {
  const numbers = values.map(num).filter((n): n is number => n !== undefined);
  return numbers.length > 0 ? numbers.reduce((a, b) => a + b, 0) : undefined;
}

/** Error text from the shapes CLIs use: a string, `{message}`, or `{error: {message}}`. */
export function errorText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const o = obj(value);
  if (!o) return undefined;
  return str(o.message) ?? errorText(o.error) ?? str(o.type);
}
