// Lexer and parser for Go's text/template language (text/template/parse: lex.go, parse.go,
// node.go), enough for Prometheus alert templates: actions, pipelines, variables, if/else,
// range (with break/continue), with, define/template/block, comments and trim markers. Nodes keep their offset in the
// source so that execution errors can name `line:col` the way Go does.
import { unquoteString } from '../../text/index.ts';

export type Node =
  | { type: 'text'; pos: number; text: string }
  | { type: 'action'; pos: number; pipe: PipeNode }
  | {
      type: 'if' | 'with' | 'range';
      pos: number;
      pipe: PipeNode;
      list: Node[];
      elseList: Node[] | undefined;
    }
  | { type: 'break' | 'continue'; pos: number }
  /** `{{define "name"}}…{{end}}` (top level only; it writes nothing where it stands). */
  | { type: 'define'; pos: number; name: string; list: Node[] }
  /** `{{template "name" pipeline}}`, also the call half of `{{block}}`. */
  | { type: 'template'; pos: number; name: string; quoted: string; pipe: PipeNode | undefined };

export interface PipeNode {
  type: 'pipe';
  pos: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}

export interface CommandNode {
  type: 'command';
  pos: number;
  args: ArgNode[];
}

export interface VariableNode {
  type: 'variable';
  pos: number;
  idents: string[];
}

export type ArgNode =
  | { type: 'field'; pos: number; idents: string[] }
  | VariableNode
  | { type: 'chain'; pos: number; node: ArgNode; fields: string[] }
  | { type: 'identifier'; pos: number; name: string }
  | { type: 'dot'; pos: number }
  | { type: 'nil'; pos: number }
  | { type: 'bool'; pos: number; value: boolean }
  | { type: 'number'; pos: number; text: string; isInt: boolean; int: bigint; float: number }
  | { type: 'string'; pos: number; quoted: string; text: string }
  | PipeNode;

/** A parse error; `message` is Go's text after `template: NAME:LINE: `. */
export class TemplateParseError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

type ItemType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'identifier'
  | 'keyword'
  | 'field'
  | 'variable'
  | 'string'
  | 'rawString'
  | 'char'
  | 'number'
  | 'bool'
  | 'nil'
  | 'dot'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'eof'
  | 'error';

interface Item {
  type: ItemType;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS = new Set([
  'block',
  'break',
  'continue',
  'define',
  'else',
  'end',
  'if',
  'range',
  'nil',
  'template',
  'with',
]);

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isAlnum(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{Nd}_]/u.test(c);
}

/** Splits a template into items (lex.go). */
function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let line = 1;
  const emit = (type: ItemType, start: number, end: number, startLine: number): void => {
    items.push({ type, pos: start, val: input.slice(start, end), line: startLine });
  };
  const countLines = (s: string): number => s.split('\n').length - 1;
  const fail = (message: string, at: number): Item[] => {
    items.push({ type: 'error', pos: at, val: message, line });
    return items;
  };
  while (true) {
    // Text up to the next left delimiter.
    const ld = input.indexOf('{{', pos);
    if (ld < 0) {
      if (pos < input.length) emit('text', pos, input.length, line);
      items.push({ type: 'eof', pos: input.length, val: '', line });
      return items;
    }
    let textEnd = ld;
    const trimLeft = input[ld + 2] === '-' && isSpace(input[ld + 3]);
    if (trimLeft) {
      while (textEnd > pos && isSpace(input[textEnd - 1])) textEnd--;
    }
    if (textEnd > pos) emit('text', pos, textEnd, line);
    line += countLines(input.slice(pos, ld));
    pos = ld + 2 + (trimLeft ? 2 : 0);
    // A comment: {{/* ... */}}.
    if (input.startsWith('/*', pos)) {
      const close = input.indexOf('*/', pos + 2);
      if (close < 0) return fail('unclosed comment', pos);
      let after = close + 2;
      let trimRight = false;
      if (input[after] !== undefined && isSpace(input[after]) && input[after + 1] === '-') {
        if (input.startsWith('}}', after + 2)) {
          trimRight = true;
          after += 2;
        }
      }
      if (!input.startsWith('}}', after)) return fail('comment ends before closing delimiter', pos);
      line += countLines(input.slice(pos, after + 2));
      pos = after + 2;
      if (trimRight) {
        const start = pos;
        while (pos < input.length && isSpace(input[pos])) pos++;
        line += countLines(input.slice(start, pos));
      }
      continue;
    }
    items.push({ type: 'leftDelim', pos: ld, val: '{{', line });
    let parenDepth = 0;
    // Inside an action.
    while (true) {
      const c = input[pos];
      if (c === undefined) return fail('unclosed action', pos);
      // Right delimiter, possibly with a trim marker.
      if (isSpace(c) && input[pos + 1] === '-' && input.startsWith('}}', pos + 2)) {
        if (parenDepth > 0) return fail('unclosed left paren', pos);
        items.push({ type: 'rightDelim', pos: pos + 2, val: '}}', line });
        pos += 4;
        const start = pos;
        while (pos < input.length && isSpace(input[pos])) pos++;
        line += countLines(input.slice(start, pos));
        break;
      }
      if (input.startsWith('}}', pos)) {
        if (parenDepth > 0) return fail('unclosed left paren', pos);
        items.push({ type: 'rightDelim', pos, val: '}}', line });
        pos += 2;
        break;
      }
      const start = pos;
      if (isSpace(c)) {
        while (
          isSpace(input[pos]) &&
          !(input[pos + 1] === '-' && input.startsWith('}}', pos + 2))
        ) {
          if (input[pos] === '\n') line++;
          pos++;
        }
        if (pos === start) {
          // The space belongs to a trim marker; emit nothing.
          continue;
        }
        emit('space', start, pos, line);
        continue;
      }
      if (c === '=') {
        pos++;
        emit('assign', start, pos, line);
        continue;
      }
      if (c === ':') {
        if (input[pos + 1] !== '=') return fail('expected :=', pos);
        pos += 2;
        emit('declare', start, pos, line);
        continue;
      }
      if (c === '|') {
        pos++;
        emit('pipe', start, pos, line);
        continue;
      }
      if (c === ',') {
        pos++;
        emit('comma', start, pos, line);
        continue;
      }
      if (c === '(') {
        pos++;
        parenDepth++;
        emit('leftParen', start, pos, line);
        continue;
      }
      if (c === ')') {
        pos++;
        parenDepth--;
        emit('rightParen', start, pos, line);
        continue;
      }
      if (c === '"') {
        pos++;
        while (true) {
          const d = input[pos];
          if (d === undefined || d === '\n') return fail('unterminated quoted string', start);
          if (d === '\\') {
            pos += 2;
            continue;
          }
          pos++;
          if (d === '"') break;
        }
        emit('string', start, pos, line);
        continue;
      }
      if (c === '`') {
        const close = input.indexOf('`', pos + 1);
        if (close < 0) return fail('unterminated raw quoted string', start);
        pos = close + 1;
        emit('rawString', start, pos, line);
        line += countLines(input.slice(start, pos));
        continue;
      }
      if (c === "'") {
        pos++;
        while (true) {
          const d = input[pos];
          if (d === undefined || d === '\n') return fail('unterminated character constant', start);
          if (d === '\\') {
            pos += 2;
            continue;
          }
          pos++;
          if (d === "'") break;
        }
        emit('char', start, pos, line);
        continue;
      }
      if (c === '$') {
        pos++;
        while (isAlnum(input[pos])) pos++;
        emit('variable', start, pos, line);
        continue;
      }
      if (c === '.') {
        const n = input[pos + 1];
        if (n !== undefined && /[0-9]/.test(n)) {
          // A number like .5.
        } else {
          pos++;
          if (isAlnum(n)) {
            while (isAlnum(input[pos])) pos++;
            emit('field', start, pos, line);
          } else {
            emit('dot', start, pos, line);
          }
          continue;
        }
      }
      if (c === '+' || c === '-' || c === '.' || /[0-9]/.test(c)) {
        const m =
          /^[+-]?(0[xX][0-9a-fA-F_]*(\.[0-9a-fA-F_]*)?([pP][+-]?[0-9_]+)?|0[bBoO][0-9_]+|[0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9_]+)?)/.exec(
            input.slice(pos),
          );
        const text = m?.[0] ?? '';
        if (text === '' || text === '+' || text === '-' || isAlnum(input[pos + text.length])) {
          const bad = /^[^\s}|()]*/.exec(input.slice(pos))?.[0] ?? c;
          return fail(`bad number syntax: "${bad}"`, start);
        }
        pos += text.length;
        emit('number', start, pos, line);
        continue;
      }
      if (isAlnum(c)) {
        while (isAlnum(input[pos])) pos++;
        const word = input.slice(start, pos);
        if (KEYWORDS.has(word) && word !== 'nil') emit('keyword', start, pos, line);
        else if (word === 'nil') emit('nil', start, pos, line);
        else if (word === 'true' || word === 'false') emit('bool', start, pos, line);
        else emit('identifier', start, pos, line);
        continue;
      }
      const cp = input.codePointAt(pos) ?? 0;
      return fail(
        `bad character U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${String.fromCodePoint(cp)}'`,
        start,
      );
    }
  }
}

function describeItem(it: Item): string {
  switch (it.type) {
    case 'eof':
      return 'EOF';
    case 'error':
      return it.val;
    case 'keyword':
    case 'dot':
    case 'nil':
      return `<${it.val}>`;
  }
  if (it.val.length > 10) return `"${it.val.slice(0, 10)}"...`;
  return JSON.stringify(it.val);
}

/** Parses a template; `isFunction` says whether a name is a defined function. */
export function parseTemplate(text: string, isFunction: (name: string) => boolean): Node[] {
  const items = lex(text);
  let i = 0;
  const vars: string[][] = [['$']];

  const next = (): Item => items[i++] ?? { type: 'eof', pos: text.length, val: '', line: 1 };
  const peek = (): Item => items[i] ?? { type: 'eof', pos: text.length, val: '', line: 1 };
  const backup = (): void => {
    i--;
  };
  const nextNonSpace = (): Item => {
    let it = next();
    while (it.type === 'space') it = next();
    return it;
  };
  const peekNonSpace = (): Item => {
    const it = nextNonSpace();
    backup();
    return it;
  };
  const fail = (it: Item, message: string): never => {
    throw new TemplateParseError(it.line, message);
  };
  const unexpected = (it: Item, context: string): never => {
    if (it.type === 'error') fail(it, it.val);
    return fail(it, `unexpected ${describeItem(it)} in ${context}`);
  };
  const scope = (): string[] => vars[vars.length - 1] ?? [];
  const hasVariable = (name: string): boolean => vars.some((s) => s.includes(name));

  const parseList = (context: string): { list: Node[]; end: Item; elseItem: boolean } => {
    const list: Node[] = [];
    while (true) {
      const it = next();
      if (it.type === 'eof') {
        if (context === 'top') return { list, end: it, elseItem: false };
        return fail(it, `unexpected EOF`);
      }
      if (it.type === 'error') return fail(it, it.val);
      if (it.type === 'text') {
        list.push({ type: 'text', pos: it.pos, text: it.val });
        continue;
      }
      if (it.type !== 'leftDelim') return unexpected(it, 'input');
      const kw = peekNonSpace();
      if (context === 'top' && kw.type === 'keyword' && kw.val === 'define') {
        parseDefine(nextNonSpace());
        continue;
      }
      if (kw.type === 'keyword' && (kw.val === 'end' || kw.val === 'else')) {
        if (context === 'top') return fail(kw, `unexpected {{${kw.val}}}`);
        nextNonSpace();
        if (kw.val === 'end') {
          const close = nextNonSpace();
          if (close.type !== 'rightDelim') unexpected(close, 'end');
          return { list, end: kw, elseItem: false };
        }
        return { list, end: kw, elseItem: true };
      }
      list.push(parseAction(context));
    }
  };

  const parseControl = (kind: 'if' | 'with' | 'range', pos: number): Node => {
    vars.push([...scope()]);
    const pipe = parsePipeline(kind, 'rightDelim');
    const body = parseList(kind);
    let elseList: Node[] | undefined;
    if (body.elseItem) {
      // `else if` / `else with` chain into a nested control; plain else reads to {{end}}.
      const after = peekNonSpace();
      if (
        (kind === 'if' && after.type === 'keyword' && after.val === 'if') ||
        (kind === 'with' && after.type === 'keyword' && after.val === 'with')
      ) {
        nextNonSpace();
        elseList = [parseControl(kind, after.pos)];
      } else {
        const close = nextNonSpace();
        if (close.type !== 'rightDelim') unexpected(close, 'else');
        const rest = parseList(kind);
        if (rest.elseItem) fail(rest.end, 'expected end; found {{else}}');
        elseList = rest.list;
      }
    }
    vars.pop();
    return { type: kind, pos, pipe, list: body.list, elseList };
  };

  let rangeDepth = 0;
  const parseAction = (context: string): Node => {
    const it = nextNonSpace();
    if (it.type === 'keyword') {
      switch (it.val) {
        case 'if':
        case 'with':
          return parseControl(it.val, it.pos);
        case 'range': {
          rangeDepth++;
          const n = parseControl('range', it.pos);
          rangeDepth--;
          return n;
        }
        case 'break':
        case 'continue': {
          if (rangeDepth === 0) fail(it, `{{${it.val}}} outside {{range}}`);
          const close = nextNonSpace();
          if (close.type !== 'rightDelim') unexpected(close, `{{${it.val}}}`);
          return { type: it.val, pos: it.pos };
        }
        case 'define':
          return unexpected(it, 'command');
        case 'template':
          return parseTemplateCall(it);
        case 'block': {
          const call = parseTemplateCall(it);
          if (call.type === 'template') {
            if (call.pipe === undefined) fail(it, 'missing value for block clause');
            addDefinition(it, call.name, parseDefinitionBody('block clause'));
          }
          return call;
        }
      }
    }
    backup();
    void context;
    const pipe = parsePipeline('command', 'rightDelim');
    return { type: 'action', pos: it.pos, pipe };
  };

  // Named templates: Go's treeSet; a second non-empty definition of a name is an error.
  const defined = new Map<string, boolean>();
  const definitions: Node[] = [];
  const addDefinition = (it: Item, name: string, list: Node[]): void => {
    const nonEmpty = list.some((n) => n.type !== 'text' || n.text.trim() !== '');
    if (defined.get(name) === true && nonEmpty) {
      fail(it, `template: multiple definition of template ${JSON.stringify(name)}`);
    }
    if (defined.get(name) !== true) {
      defined.set(name, nonEmpty);
      definitions.push({ type: 'define', pos: it.pos, name, list });
    }
  };
  const templateName = (context: string): { name: string; quoted: string } => {
    const tok = nextNonSpace();
    if (tok.type !== 'string' && tok.type !== 'rawString') return unexpected(tok, context);
    const name = unquoteString(tok.val);
    return name === null ? fail(tok, 'invalid syntax') : { name, quoted: tok.val };
  };
  // A definition's body: its own variables (only $), read up to {{end}}.
  const parseDefinitionBody = (context: string): Node[] => {
    const outer = vars.splice(0, vars.length, ['$']);
    const depth = rangeDepth;
    rangeDepth = 0;
    const body = parseList(context);
    if (body.elseItem) fail(body.end, `unexpected {{else}} in ${context}`);
    rangeDepth = depth;
    vars.splice(0, vars.length, ...outer);
    return body.list;
  };
  const parseTemplateCall = (it: Item): Node => {
    const context = it.val === 'block' ? 'block clause' : 'template clause';
    // Go positions the node at its name.
    const pos = peekNonSpace().pos;
    const { name, quoted } = templateName(context);
    let pipe: PipeNode | undefined;
    if (nextNonSpace().type !== 'rightDelim') {
      backup();
      pipe = parsePipeline(context, 'rightDelim');
    }
    return { type: 'template', pos, name, quoted, pipe };
  };
  const parseDefine = (it: Item): void => {
    const { name } = templateName('define clause');
    const close = nextNonSpace();
    if (close.type !== 'rightDelim') unexpected(close, 'define clause');
    addDefinition(it, name, parseDefinitionBody('define clause'));
  };

  const parsePipeline = (context: string, end: 'rightDelim' | 'rightParen'): PipeNode => {
    const first = peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: first.pos, isAssign: false, decl: [], cmds: [] };
    // Variable declarations: $x := or $x, $y := (range only) or $x = .
    decls: if (first.type === 'variable') {
      const save = i;
      nextNonSpace();
      const after = peek();
      const afterNS = peekNonSpace();
      if (
        afterNS.type === 'declare' ||
        afterNS.type === 'assign' ||
        (afterNS.type === 'comma' && context === 'range')
      ) {
        void after;
        const names = [first.val];
        let tok = nextNonSpace();
        if (tok.type === 'comma') {
          const second = nextNonSpace();
          if (second.type !== 'variable') fail(second, 'range can only initialize variables');
          names.push(second.val);
          tok = nextNonSpace();
          if (tok.type === 'comma') fail(tok, `too many declarations in ${context}`);
        }
        if (tok.type !== 'declare' && tok.type !== 'assign') unexpected(tok, context);
        pipe.isAssign = tok.type === 'assign';
        for (const name of names) {
          // Go's parser records assigned names too; assigning an undeclared one fails at run time.
          pipe.decl.push({ type: 'variable', pos: first.pos, idents: [name] });
          scope().push(name);
        }
        break decls;
      }
      i = save;
    }
    while (true) {
      const it = nextNonSpace();
      if (it.type === end) {
        if (pipe.cmds.length === 0) fail(it, `missing value for ${context}`);
        return pipe;
      }
      if (it.type === 'eof' || it.type === 'rightDelim' || it.type === 'rightParen') {
        return unexpected(it, context === 'command' ? 'command' : context);
      }
      backup();
      pipe.cmds.push(parseCommand());
    }
  };

  const parseCommand = (): CommandNode => {
    const cmd: CommandNode = { type: 'command', pos: peekNonSpace().pos, args: [] };
    while (true) {
      peekNonSpace();
      const operand = parseOperand();
      if (operand) cmd.args.push(operand);
      const it = next();
      switch (it.type) {
        case 'space':
          continue;
        case 'rightDelim':
        case 'rightParen':
          backup();
          break;
        case 'pipe':
          break;
        case 'error':
          fail(it, it.val);
          break;
        default:
          unexpected(it, 'operand');
      }
      break;
    }
    if (cmd.args.length === 0) fail(peek(), 'empty command');
    return cmd;
  };

  const parseOperand = (): ArgNode | undefined => {
    const node = parseTerm();
    if (!node) return undefined;
    if (peek().type === 'field') {
      // Go gives the merged node the position of the first appended field (parse.go operand).
      const chainPos = peek().pos;
      const fields: string[] = [];
      while (peek().type === 'field') fields.push(next().val.slice(1));
      switch (node.type) {
        case 'field':
          return { type: 'field', pos: chainPos, idents: [...node.idents, ...fields] };
        case 'variable':
          return { type: 'variable', pos: chainPos, idents: [...node.idents, ...fields] };
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          return fail(peek(), `unexpected . after term "${node.type}"`);
        default:
          return { type: 'chain', pos: chainPos, node, fields };
      }
    }
    return node;
  };

  const parseTerm = (): ArgNode | undefined => {
    const it = nextNonSpace();
    switch (it.type) {
      case 'error':
        return fail(it, it.val);
      case 'identifier':
        if (!isFunction(it.val)) fail(it, `function "${it.val}" not defined`);
        return { type: 'identifier', pos: it.pos, name: it.val };
      case 'dot':
        return { type: 'dot', pos: it.pos };
      case 'nil':
        return { type: 'nil', pos: it.pos };
      case 'variable':
        if (!hasVariable(it.val)) fail(it, `undefined variable "${it.val}"`);
        return { type: 'variable', pos: it.pos, idents: [it.val] };
      case 'field':
        return { type: 'field', pos: it.pos, idents: [it.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: it.pos, value: it.val === 'true' };
      case 'char':
      case 'number':
        return parseNumber(it);
      case 'leftParen':
        return parsePipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString': {
        const text = unquoteString(it.val);
        if (text === null) return fail(it, 'invalid syntax');
        return { type: 'string', pos: it.pos, quoted: it.val, text };
      }
    }
    backup();
    return undefined;
  };

  const parseNumber = (it: Item): ArgNode => {
    if (it.type === 'char') {
      const ch = unquoteString(it.val);
      if (ch === null || [...ch].length !== 1) {
        return fail(it, `malformed character constant: ${it.val}`);
      }
      const cp = BigInt(ch.codePointAt(0) ?? 0);
      return { type: 'number', pos: it.pos, text: it.val, isInt: true, int: cp, float: Number(cp) };
    }
    const clean = it.val.replace(/_/g, '');
    let isInt = false;
    let int = 0n;
    let float: number;
    const unsigned = clean.replace(/^[+-]/, '');
    const neg = clean.startsWith('-');
    if (/^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]*|[1-9][0-9]*)$/.test(unsigned)) {
      const lit = /^0[0-7]+$/.test(unsigned) ? '0o' + unsigned.slice(1) : unsigned;
      int = BigInt(lit === '0' || lit === '' ? 0 : lit) * (neg ? -1n : 1n);
      isInt = true;
      float = Number(int);
    } else {
      float = Number(clean);
      if (/^0[xX]/.test(unsigned)) float = Number.NaN;
      if (Number.isNaN(float)) fail(it, `illegal number syntax: "${it.val}"`);
      if (Number.isInteger(float) && !/[.eEpP]/.test(unsigned)) {
        isInt = true;
        int = BigInt(float);
      }
    }
    return { type: 'number', pos: it.pos, text: it.val, isInt, int, float };
  };

  const root = parseList('top').list;
  // The definitions go first: they write nothing, and execution looks them up by name.
  return [...definitions, ...root];
}

/** The text Go prints for a node in an error's `at <…>` context. */
export function nodeString(n: ArgNode | CommandNode | Node): string {
  switch (n.type) {
    case 'field':
      return '.' + n.idents.join('.');
    case 'variable':
      return n.idents.join('.');
    case 'chain': {
      const inner = n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return inner + n.fields.map((f) => '.' + f).join('');
    }
    case 'identifier':
      return n.name;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return n.value ? 'true' : 'false';
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'pipe': {
      const decl =
        n.decl.length > 0
          ? n.decl.map((d) => d.idents[0]).join(', ') + (n.isAssign ? ' = ' : ' := ')
          : '';
      return decl + n.cmds.map((c) => nodeString(c)).join(' | ');
    }
    case 'command':
      return n.args
        .map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a)))
        .join(' ');
    case 'action':
      return `{{${nodeString(n.pipe)}}}`;
    case 'text':
      return n.text;
    case 'if':
    case 'with':
    case 'range':
      return `{{${n.type} ${nodeString(n.pipe)}}}`;
    case 'break':
    case 'continue':
      return `{{${n.type}}}`;
    case 'define':
      return `{{define ${JSON.stringify(n.name)}}}`;
    case 'template':
      return `{{template ${n.quoted}${n.pipe ? ' ' + nodeString(n.pipe) : ''}}}`;
  }
}
