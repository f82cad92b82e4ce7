// What Go's YAML decoder (gopkg.in/yaml.v3, which promtool's rulefmt uses) refuses before or
// instead of the rule file's fields: bytes that are not UTF-8 or are control characters
// (yaml_parser_update_buffer and is_printable in readerc.go), and a document that is not a
// mapping (decoder.terror in decode.go: "cannot unmarshal !!seq into rulefmt.RuleGroups").
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';

/** YAML 1.2's printable characters, plus the BOM only at the start (readerc.go is_printable). */
function printable(cp: number, at: number): boolean {
  if (cp === 0xfeff) return at === 0;
  return (
    cp === 0x09 ||
    cp === 0x0a ||
    cp === 0x0d ||
    (cp >= 0x20 && cp <= 0x7e) ||
    cp === 0x85 ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** The go-yaml reader's error for the first bad byte sequence or control character, or null. */
export function yamlStreamError(bytes: Uint8Array): string | null {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const width =
      (b & 0x80) === 0
        ? 1
        : (b & 0xe0) === 0xc0
          ? 2
          : (b & 0xf0) === 0xe0
            ? 3
            : (b & 0xf8) === 0xf0
              ? 4
              : 0;
    if (width === 0) return 'yaml: invalid leading UTF-8 octet';
    if (i + width > bytes.length) return 'yaml: incomplete UTF-8 octet sequence';
    let cp = width === 1 ? b : width === 2 ? b & 0x1f : width === 3 ? b & 0x0f : b & 0x07;
    for (let k = 1; k < width; k++) {
      const t = bytes[i + k]!;
      if ((t & 0xc0) !== 0x80) return 'yaml: invalid trailing UTF-8 octet';
      cp = (cp << 6) | (t & 0x3f);
    }
    const minimal =
      width === 1 ||
      (width === 2 && cp >= 0x80) ||
      (width === 3 && cp >= 0x800) ||
      (width === 4 && cp >= 0x10000);
    if (!minimal) return 'yaml: invalid length of a UTF-8 sequence';
    if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return 'yaml: invalid Unicode character';
    if (!printable(cp, i)) return 'yaml: control characters are not allowed';
    i += width;
  }
  return null;
}

/** yaml.v3's shortTag of a resolved plain or quoted scalar. */
function scalarTag(source: string, value: unknown, quoted: boolean): string {
  if (quoted || typeof value === 'string') return '!!str';
  if (typeof value === 'boolean') return '!!bool';
  if (typeof value === 'number')
    return /^[-+]?(0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9_]+)$/.test(source) ? '!!int' : '!!float';
  return '!!str';
}

/**
 * The unmarshal errors promtool reports when a rule file's document is a list or a scalar
 * (rulefmt decodes it twice, into RuleGroups and ruleGroups, and reports both), or null.
 */
export function ruleFileShapeErrors(text: string): string[] | null {
  let doc;
  try {
    doc = parseDocument(text);
  } catch {
    return null;
  }
  if (doc.errors.length > 0) return null;
  const root = doc.contents;
  if (root === null || isMap(root)) return null;
  let what: string;
  if (isSeq(root)) what = '!!seq';
  else if (isScalar(root)) {
    if (root.value === null) return null;
    const source = root.range ? text.slice(root.range[0], root.range[1]).trim() : '';
    const quoted = root.type === 'QUOTE_DOUBLE' || root.type === 'QUOTE_SINGLE';
    const value = String(root.value);
    const shown = value.length > 10 ? `${value.slice(0, 7)}...` : value;
    what = `${scalarTag(source, root.value, quoted)} \`${shown}\``;
  } else return null;
  const offset = root.range?.[0] ?? 0;
  const line = text.slice(0, offset).split('\n').length;
  return ['RuleGroups', 'ruleGroups'].map(
    (t) => `yaml: unmarshal errors:\n  line ${line}: cannot unmarshal ${what} into rulefmt.${t}`,
  );
}
