// Executes a parsed Go text/template (text/template/exec.go and funcs.go): pipelines, variables,
// fields on maps and structs, builtin functions with Go's argument typing and comparison rules,
// and execution errors worded and positioned as Go words them.
import {
  GoMap,
  GoSlice,
  GoStruct,
  formatGoValue,
  goSprintf,
  goTruth,
  goTypeName,
  type GoValue,
} from './goValues.ts';
import { nodeString, type ArgNode, type CommandNode, type Node, type PipeNode } from './parse.ts';

/** The parameter types a template function declares. */
export type ParamType = 'string' | 'float64' | 'int' | 'bool' | 'any' | 'queryResult' | 'sample';

/** A function callable from a template; `impl` throws GoCallError to return Go's error value. */
export interface TemplateFunc {
  params: ParamType[];
  variadic?: ParamType;
  impl: (args: GoValue[]) => GoValue;
}

/** The error a template function returns (Go's second return value). */
export class GoCallError extends Error {}

/** An execution error, with Go's complete message (`template: name:1:2: executing …`). */
export class TemplateExecError extends Error {}

class BreakSignal {}
class ContinueSignal {}

function byteColumn(text: string, pos: number): { line: number; col: number } {
  const before = text.slice(0, pos);
  const nl = before.lastIndexOf('\n');
  const lineText = nl < 0 ? before : before.slice(nl + 1);
  return { line: before.split('\n').length, col: new TextEncoder().encode(lineText).length };
}

const PARAM_TYPE_NAMES: Record<ParamType, string> = {
  string: 'string',
  float64: 'float64',
  int: 'int',
  bool: 'bool',
  any: 'interface {}',
  queryResult: 'template.queryResult',
  sample: '*template.sample',
};

function matchesType(v: GoValue, t: ParamType): boolean {
  switch (t) {
    case 'any':
      return true;
    case 'string':
      return typeof v === 'string';
    case 'float64':
      return typeof v === 'number';
    case 'int':
      return typeof v === 'bigint';
    case 'bool':
      return typeof v === 'boolean';
    case 'queryResult':
      return v instanceof GoSlice;
    case 'sample':
      return v instanceof GoStruct && v.pointer;
  }
}

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid';

function basicKind(v: GoValue): BasicKind {
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
  }
  return 'invalid';
}

function compareError(message: string): never {
  throw new GoCallError(message);
}

function goEq(a: GoValue, ...rest: GoValue[]): boolean {
  const k1 = basicKind(a);
  if (rest.length === 0) compareError('missing argument for comparison');
  for (const b of rest) {
    const k2 = basicKind(b);
    let truth: boolean;
    if (k1 !== k2) {
      if ((a === null || a === undefined) && (b === null || b === undefined)) {
        truth = true;
      } else if (k1 === 'invalid' || k2 === 'invalid') {
        if (a === undefined || b === undefined) compareError('invalid type for comparison');
        truth = false;
        if (k1 === 'invalid' && k2 === 'invalid') truth = a === b;
        else compareError('incompatible types for comparison');
      } else {
        compareError('incompatible types for comparison');
      }
    } else if (k1 === 'invalid') {
      if (a === undefined || b === undefined) compareError('invalid type for comparison');
      if (a !== null && b !== null && !(a instanceof GoStruct)) {
        compareError('non-comparable type ' + formatGoValue(a, false) + ': ' + goTypeName(a));
      }
      truth = a === b;
    } else {
      truth = a === b;
    }
    if (truth) return true;
  }
  return false;
}

function goLt(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== k2) compareError('incompatible types for comparison');
  switch (k1) {
    case 'bool':
    case 'invalid':
      return compareError('invalid type for comparison');
    case 'int':
    case 'float':
    case 'string':
      return (a as number) < (b as number);
  }
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
function goSprint(args: GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatGoValue(a, false);
  });
  return out;
}

function htmlEscape(s: string): string {
  return s.replace(/[&'<>"\0]/g, (c) =>
    c === '&'
      ? '&amp;'
      : c === "'"
        ? '&#39;'
        : c === '<'
          ? '&lt;'
          : c === '>'
            ? '&gt;'
            : c === '"'
              ? '&#34;'
              : '\uFFFD',
  );
}

/** url.QueryEscape. */
export function goQueryEscape(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function goLen(v: GoValue): bigint {
  if (typeof v === 'string') return BigInt(new TextEncoder().encode(v).length);
  if (v instanceof GoMap) return BigInt(v.entries.size);
  if (v instanceof GoSlice) return BigInt(v.items.length);
  if (v === undefined || v === null) throw new GoCallError('len of nil pointer');
  throw new GoCallError(`len of type ${goTypeName(v)}`);
}

function goIndex(item: GoValue, ...indexes: GoValue[]): GoValue {
  let v = item;
  if (v === undefined || v === null) throw new GoCallError('index of untyped nil');
  for (const idx of indexes) {
    if (v instanceof GoSlice || typeof v === 'string') {
      if (typeof idx !== 'bigint')
        throw new GoCallError(`cannot index slice/array with type ${goTypeName(idx)}`);
      const len = v instanceof GoSlice ? v.items.length : new TextEncoder().encode(v).length;
      if (idx < 0n || idx >= BigInt(len)) throw new GoCallError(`index out of range: ${idx}`);
      v =
        v instanceof GoSlice
          ? v.items[Number(idx)]
          : BigInt(new TextEncoder().encode(v)[Number(idx)] ?? 0);
    } else if (v instanceof GoMap) {
      if (typeof idx !== 'string') {
        throw new GoCallError(`value has type ${goTypeName(idx)}; should be string`);
      }
      v = v.entries.has(idx) ? v.entries.get(idx) : v.elemType === 'string' ? '' : undefined;
    } else if (v === undefined || v === null) {
      throw new GoCallError('index of untyped nil');
    } else {
      throw new GoCallError(`can't index item of type ${goTypeName(v)}`);
    }
  }
  return v;
}

/** The builtins of text/template (funcs.go); and/or are handled by the executor. */
export const BUILTIN_FUNCS: Record<string, TemplateFunc> = {
  not: { params: ['any'], impl: ([a]) => !goTruth(a) },
  len: { params: ['any'], impl: ([a]) => goLen(a) },
  index: { params: ['any'], variadic: 'any', impl: ([a, ...rest]) => goIndex(a, ...rest) },
  eq: { params: ['any'], variadic: 'any', impl: ([a, ...rest]) => goEq(a, ...rest) },
  ne: { params: ['any', 'any'], impl: ([a, b]) => !goEq(a, b) },
  lt: { params: ['any', 'any'], impl: ([a, b]) => goLt(a, b) },
  le: { params: ['any', 'any'], impl: ([a, b]) => goLt(a, b) || goEq(a, b) },
  gt: { params: ['any', 'any'], impl: ([a, b]) => !goLt(a, b) && !goEq(a, b) },
  ge: { params: ['any', 'any'], impl: ([a, b]) => !goLt(a, b) },
  print: { params: [], variadic: 'any', impl: (args) => goSprint(args) },
  println: {
    params: [],
    variadic: 'any',
    impl: (args) => args.map((a) => formatGoValue(a, false)).join(' ') + '\n',
  },
  printf: {
    params: ['string'],
    variadic: 'any',
    impl: ([f, ...rest]) => goSprintf(f as string, rest),
  },
  html: {
    params: [],
    variadic: 'any',
    impl: (args) =>
      htmlEscape(args.length === 1 && typeof args[0] === 'string' ? args[0] : goSprint(args)),
  },
  urlquery: {
    params: [],
    variadic: 'any',
    impl: (args) =>
      goQueryEscape(args.length === 1 && typeof args[0] === 'string' ? args[0] : goSprint(args)),
  },
  js: {
    params: [],
    variadic: 'any',
    impl: (args) =>
      (args.length === 1 && typeof args[0] === 'string' ? args[0] : goSprint(args)).replace(
        /[\\'"<>&=\n\r\t]/g,
        (c) =>
          ({
            '\\': '\\\\',
            "'": "\\'",
            '"': '\\"',
            '<': '\\u003C',
            '>': '\\u003E',
            '&': '\\u0026',
            '=': '\\u003D',
            '\n': '\\n',
            '\r': '\\r',
            '\t': '\\t',
          })[c] ?? c,
      ),
  },
};

interface Variable {
  name: string;
  value: GoValue;
}

/**
 * Runs a parsed template over `data` with the given functions (made when the template first
 * calls one: most alert templates only print labels and the value).
 */
export function executeTemplate(
  name: string,
  text: string,
  nodes: Node[],
  data: GoValue,
  makeFuncs: () => Readonly<Record<string, TemplateFunc>>,
): string {
  let funcs: Readonly<Record<string, TemplateFunc>> | null = null;
  const vars: Variable[] = [{ name: '$', value: data }];
  let current: ArgNode | CommandNode | Node | undefined;
  let out = '';

  const at = (n: ArgNode | CommandNode | Node): void => {
    current = n;
  };
  const errorf = (message: string): never => {
    if (current === undefined) throw new TemplateExecError(`template: ${name}: ${message}`);
    const { line, col } = byteColumn(text, current.pos);
    const context = nodeString(current);
    throw new TemplateExecError(
      `template: ${name}:${line}:${col}: executing "${execName}" at <${context}>: ${message}`,
    );
  };
  const lookupVar = (n: string): GoValue => {
    for (let i = vars.length - 1; i >= 0; i--) {
      const v = vars[i];
      if (v?.name === n) return v.value;
    }
    return errorf(`undefined variable: ${n}`);
  };
  const setVar = (n: string, value: GoValue): void => {
    for (let i = vars.length - 1; i >= 0; i--) {
      const v = vars[i];
      if (v?.name === n) {
        v.value = value;
        return;
      }
    }
    errorf(`undefined variable: ${n}`);
  };

  const evalField = (
    fieldName: string,
    node: ArgNode,
    args: ArgNode[] | undefined,
    final: GoValue | typeof MISSING,
    receiver: GoValue,
  ): GoValue => {
    const hasArgs = (args !== undefined && args.length > 1) || final !== MISSING;
    if (receiver === undefined || receiver === null) {
      if (receiver === null) errorf(`nil pointer evaluating ${goTypeName(receiver)}.${fieldName}`);
      return undefined;
    }
    if (receiver instanceof GoStruct) {
      if (receiver.fields.has(fieldName)) {
        if (hasArgs) errorf(`${fieldName} has arguments but cannot be invoked as function`);
        return receiver.fields.get(fieldName);
      }
    } else if (receiver instanceof GoMap) {
      if (hasArgs) errorf(`${fieldName} is not a method but has arguments`);
      if (receiver.entries.has(fieldName)) return receiver.entries.get(fieldName);
      return receiver.elemType === 'string' ? '' : undefined;
    }
    void node;
    return errorf(`can't evaluate field ${fieldName} in type ${goTypeName(receiver)}`);
  };

  const evalFieldChain = (
    dot: GoValue,
    receiver: GoValue,
    node: ArgNode,
    idents: string[],
    args: ArgNode[] | undefined,
    final: GoValue | typeof MISSING,
  ): GoValue => {
    void dot;
    let r = receiver;
    for (let i = 0; i < idents.length - 1; i++)
      r = evalField(idents[i] ?? '', node, undefined, MISSING, r);
    return evalField(idents[idents.length - 1] ?? '', node, args, final, r);
  };

  const notAFunction = (args: ArgNode[], final: GoValue | typeof MISSING): void => {
    if (args.length > 1 || final !== MISSING)
      errorf(
        `can't give argument to non-function ${nodeString(args[0] ?? { type: 'dot', pos: 0 })}`,
      );
  };

  const validateType = (value: GoValue, typ: ParamType): GoValue => {
    if (value === undefined) {
      if (typ === 'any' || typ === 'queryResult' || typ === 'sample') return null;
      return errorf(`invalid value; expected ${PARAM_TYPE_NAMES[typ]}`);
    }
    if (!matchesType(value, typ)) {
      if (value === null && (typ === 'queryResult' || typ === 'sample')) return null;
      return errorf(
        `wrong type for value; expected ${PARAM_TYPE_NAMES[typ]}; got ${goTypeName(value)}`,
      );
    }
    return value;
  };

  const evalArg = (dot: GoValue, typ: ParamType, n: ArgNode): GoValue => {
    at(n);
    switch (n.type) {
      case 'dot':
        return validateType(dot, typ);
      case 'nil':
        if (typ === 'any' || typ === 'queryResult' || typ === 'sample') return null;
        return errorf(`cannot assign nil to ${PARAM_TYPE_NAMES[typ]}`);
      case 'field':
        return validateType(evalFieldChain(dot, dot, n, n.idents, [n], MISSING), typ);
      case 'variable':
        return validateType(evalVariable(dot, n, undefined, MISSING), typ);
      case 'pipe':
        return validateType(evalPipeline(dot, n), typ);
      case 'identifier':
        return validateType(evalFunction(dot, n, n, [n], MISSING), typ);
      case 'chain':
        return validateType(evalChain(dot, n, [n], MISSING), typ);
    }
    switch (typ) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        return errorf(`expected bool; found ${nodeString(n)}`);
      case 'string':
        if (n.type === 'string') return n.text;
        return errorf(`expected string; found ${nodeString(n)}`);
      case 'int':
        if (n.type === 'number' && n.isInt) return n.int;
        return errorf(`expected integer; found ${nodeString(n)}`);
      case 'float64':
        if (n.type === 'number') return n.float;
        return errorf(`expected float; found ${nodeString(n)}`);
      case 'any':
        return evalEmptyInterface(n);
      default:
        return errorf(`can't handle ${nodeString(n)} for arg of type ${PARAM_TYPE_NAMES[typ]}`);
    }
  };

  const evalEmptyInterface = (n: ArgNode): GoValue => {
    switch (n.type) {
      case 'bool':
        return n.value;
      case 'string':
        return n.text;
      case 'number':
        return idealConstant(n);
      case 'nil':
        return errorf("evalEmptyInterface: nil (can't happen)");
    }
    return errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  };

  const idealConstant = (n: Extract<ArgNode, { type: 'number' }>): GoValue => {
    at(n);
    if (!n.isInt || /[.eEpP]/.test(n.text.replace(/^[+-]?0[xX][0-9a-fA-F_]*$/, ''))) {
      if (!n.isInt || /[.eE]/.test(n.text)) return n.float;
    }
    return n.int;
  };

  const evalCall = (
    dot: GoValue,
    fnName: string,
    fn: TemplateFunc,
    node: CommandNode | ArgNode,
    args: ArgNode[],
    final: GoValue | typeof MISSING,
  ): GoValue => {
    const given = args.slice(1);
    const numIn = given.length + (final !== MISSING ? 1 : 0);
    const numFixed = fn.params.length;
    if (fn.variadic !== undefined) {
      if (numIn < numFixed)
        errorf(`wrong number of args for ${fnName}: want at least ${numFixed} got ${numIn}`);
    } else if (numIn !== numFixed) {
      errorf(`wrong number of args for ${fnName}: want ${numFixed} got ${numIn}`);
    }
    const argType = (i: number): ParamType => fn.params[i] ?? fn.variadic ?? 'any';
    const argv: GoValue[] = [];
    for (let i = 0; i < given.length; i++) {
      const a = given[i];
      if (a) argv.push(evalArg(dot, argType(i), a));
    }
    if (final !== MISSING) argv.push(validateType(final, argType(argv.length)));
    try {
      return fn.impl(argv);
    } catch (err) {
      if (err instanceof GoCallError) {
        at(node);
        return errorf(`error calling ${fnName}: ${err.message}`);
      }
      throw err;
    }
  };

  const evalAndOr = (
    dot: GoValue,
    isAnd: boolean,
    node: CommandNode | ArgNode,
    args: ArgNode[],
    final: GoValue | typeof MISSING,
  ): GoValue => {
    const given = args.slice(1);
    const total = given.length + (final !== MISSING ? 1 : 0);
    if (total < 1)
      errorf(`wrong number of args for ${isAnd ? 'and' : 'or'}: want at least 1 got 0`);
    void node;
    let v: GoValue = undefined;
    for (const a of given) {
      v = evalArg(dot, 'any', a);
      if (goTruth(v) !== isAnd) return v;
    }
    if (final !== MISSING) v = final;
    return v;
  };

  const evalFunction = (
    dot: GoValue,
    node: Extract<ArgNode, { type: 'identifier' }>,
    cmd: CommandNode | ArgNode,
    args: ArgNode[],
    final: GoValue | typeof MISSING,
  ): GoValue => {
    at(node);
    const fnName = node.name;
    if (fnName === 'and' || fnName === 'or')
      return evalAndOr(dot, fnName === 'and', cmd, args, final);
    funcs ??= makeFuncs();
    const fn = funcs[fnName] ?? BUILTIN_FUNCS[fnName];
    if (!fn) return errorf(`"${fnName}" is not a defined function`);
    return evalCall(dot, fnName, fn, cmd, args, final);
  };

  const evalVariable = (
    dot: GoValue,
    n: Extract<ArgNode, { type: 'variable' }>,
    args: ArgNode[] | undefined,
    final: GoValue | typeof MISSING,
  ): GoValue => {
    at(n);
    const value = lookupVar(n.idents[0] ?? '$');
    if (n.idents.length === 1) {
      if (args) notAFunction(args, final);
      return value;
    }
    return evalFieldChain(dot, value, n, n.idents.slice(1), args, final);
  };

  const evalChain = (
    dot: GoValue,
    chain: Extract<ArgNode, { type: 'chain' }>,
    args: ArgNode[],
    final: GoValue | typeof MISSING,
  ): GoValue => {
    at(chain);
    const pipe = chain.node.type === 'pipe' ? chain.node : undefined;
    const receiver = pipe ? evalPipeline(dot, pipe) : evalArg(dot, 'any', chain.node);
    return evalFieldChain(dot, receiver, chain, chain.fields, args, final);
  };

  const evalCommand = (
    dot: GoValue,
    cmd: CommandNode,
    final: GoValue | typeof MISSING,
  ): GoValue => {
    const first = cmd.args[0];
    if (!first) return errorf('empty command');
    switch (first.type) {
      case 'field':
        at(first);
        return evalFieldChain(dot, dot, first, first.idents, cmd.args, final);
      case 'chain':
        return evalChain(dot, first, cmd.args, final);
      case 'identifier':
        return evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        notAFunction(cmd.args, final);
        return evalPipeline(dot, first);
      case 'variable':
        return evalVariable(dot, first, cmd.args, final);
    }
    at(first);
    notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        return errorf('nil is not a command');
      case 'number':
        return idealConstant(first);
      case 'string':
        return first.text;
    }
  };

  const evalPipeline = (dot: GoValue, pipe: PipeNode): GoValue => {
    at(pipe);
    let value: GoValue | typeof MISSING = MISSING;
    for (const cmd of pipe.cmds) {
      value = evalCommand(dot, cmd, value);
    }
    const result = value === MISSING ? undefined : value;
    for (const v of pipe.decl) {
      const n = v.idents[0] ?? '$';
      if (pipe.isAssign) setVar(n, result);
      else vars.push({ name: n, value: result });
    }
    return result;
  };

  const walkList = (dot: GoValue, list: Node[]): void => {
    for (const n of list) walk(dot, n);
  };

  const walk = (dot: GoValue, n: Node): void => {
    at(n);
    switch (n.type) {
      case 'text':
        out += n.text;
        return;
      case 'action': {
        const v = evalPipeline(dot, n.pipe);
        if (n.pipe.decl.length === 0) out += formatGoValue(v, true);
        return;
      }
      case 'if':
      case 'with': {
        const mark = vars.length;
        const v = evalPipeline(dot, n.pipe);
        const truth = goTruth(v);
        if (truth) walkList(n.type === 'with' ? v : dot, n.list);
        else if (n.elseList) walkList(dot, n.elseList);
        vars.length = mark;
        return;
      }
      case 'range': {
        const mark = vars.length;
        const v = evalPipeline(dot, n.pipe);
        const bodyMark = vars.length;
        const oneIteration = (index: GoValue, elem: GoValue): boolean => {
          const first = n.pipe.decl[0];
          const second = n.pipe.decl[1];
          if (first) setVarAt(mark, first.idents[0] ?? '$', second ? index : elem);
          if (second) setVarAt(mark + 1, second.idents[0] ?? '$', elem);
          try {
            walkList(elem, n.list);
          } catch (e) {
            if (e instanceof BreakSignal) return false;
            if (!(e instanceof ContinueSignal)) throw e;
          } finally {
            vars.length = bodyMark;
          }
          return true;
        };
        const setVarAt = (i: number, name: string, value: GoValue): void => {
          vars[i] = { name, value };
        };
        let iterated = false;
        if (v instanceof GoSlice) {
          for (let i = 0; i < v.items.length; i++) {
            iterated = true;
            if (!oneIteration(BigInt(i), v.items[i])) break;
          }
        } else if (v instanceof GoMap) {
          for (const k of [...v.entries.keys()].sort()) {
            iterated = true;
            if (!oneIteration(k, v.entries.get(k))) break;
          }
        } else if (v !== undefined && v !== null) {
          errorf(`range can't iterate over ${formatGoValue(v, false)}`);
        }
        if (!iterated && n.elseList) walkList(dot, n.elseList);
        vars.length = mark;
        return;
      }
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'define':
        return;
      case 'template': {
        const body = templates.get(n.name);
        if (body === undefined) errorf(`template ${JSON.stringify(n.name)} not defined`);
        if (depth === MAX_TEMPLATE_DEPTH) {
          errorf(`exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`);
        }
        const arg = n.pipe ? evalPipeline(dot, n.pipe) : undefined;
        // No dynamic scoping: the called template sees only $ (its dot).
        const outerVars = vars.splice(0, vars.length, { name: '$', value: arg });
        const outerName = execName;
        execName = n.name;
        depth++;
        try {
          walkList(arg, body ?? []);
        } catch (err) {
          // DIVERGENCE: Go nests 100000 calls; where the JavaScript stack ends first, the
          // recursion is reported as Go reports it at its limit.
          // (Near the stack's end even a regex test overflows: a RangeError this deep is it.)
          if (!(err instanceof RangeError) || depth < 100) throw err;
          at(n);
          errorf(`exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`);
        } finally {
          depth--;
          execName = outerName;
          vars.splice(0, vars.length, ...outerVars);
        }
        return;
      }
    }
  };

  const templates = new Map<string, Node[]>();
  for (const n of nodes) if (n.type === 'define') templates.set(n.name, n.list);
  let execName = name;
  let depth = 0;
  walkList(data, nodes);
  return out;
}

/** How deep `{{template}}` calls may nest (text/template's maxExecDepth). */
const MAX_TEMPLATE_DEPTH = 100_000;

const MISSING: unique symbol = Symbol('missing');
