/**
 * A small parser for the subset of Bicep the deployment uses, so infrastructure tests can check
 * structure (resources, their properties, parameters and their decorators) instead of searching
 * text. No Bicep compiler can be installed here; this is not one: it reads declarations and literal
 * values (objects, arrays, strings, `for` and `if` forms) and keeps every other expression as text.
 * Anything it does not understand is an error, so a malformed file fails the tests that read it.
 */

/** A parsed Bicep value. Expressions that are not literals are kept verbatim in `text`. */
export type BicepValue =
  | { readonly kind: 'object'; readonly props: readonly BicepProp[] }
  | { readonly kind: 'array'; readonly items: readonly BicepValue[] }
  | { readonly kind: 'string'; readonly value: string; readonly interpolated: boolean }
  | { readonly kind: 'for'; readonly header: string; readonly body: BicepValue }
  | { readonly kind: 'if'; readonly condition: string; readonly body: BicepValue }
  | { readonly kind: 'expr'; readonly text: string };

/** One `key: value` of an object. */
export interface BicepProp {
  readonly key: string;
  readonly value: BicepValue;
}

/** A top-level declaration. */
export interface BicepDecl {
  readonly keyword: 'targetScope' | 'param' | 'var' | 'resource' | 'module' | 'output';
  /** Symbolic name (`targetScope` for the scope statement). */
  readonly name: string;
  /** Decorators as written, e.g. `@allowed([...])`. */
  readonly decorators: readonly string[];
  /** Parameter/output type, or the `'type@version'` of a resource, or the path of a module. */
  readonly type: string;
  /** True for `resource x '...' existing = {...}`. */
  readonly existing: boolean;
  /** The value after `=`, when there is one. */
  readonly value: BicepValue | undefined;
  /** 1-based line of the declaration. */
  readonly line: number;
}

/** A parse failure with its position. */
export class BicepParseError extends Error {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'BicepParseError';
  }
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;

class Parser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  parseFile(): BicepDecl[] {
    const decls: BicepDecl[] = [];
    let decorators: string[] = [];
    for (;;) {
      this.skipTrivia(true);
      if (this.pos >= this.text.length) break;
      const line = this.lineAt(this.pos);
      if (this.peek() === '@') {
        decorators.push(this.readDecorator());
        continue;
      }
      const keyword = this.readIdent();
      switch (keyword) {
        case 'targetScope': {
          this.expect('=');
          decls.push(this.decl('targetScope', 'targetScope', decorators, '', false, this.readValue(), line));
          break;
        }
        case 'param': {
          const name = this.readIdent();
          const type = this.readTypeName();
          this.skipTrivia(false);
          const value = this.peek() === '=' ? (this.expect('='), this.readValue()) : undefined;
          decls.push(this.decl('param', name, decorators, type, false, value, line));
          break;
        }
        case 'var': {
          const name = this.readIdent();
          this.expect('=');
          decls.push(this.decl('var', name, decorators, '', false, this.readValue(), line));
          break;
        }
        case 'output': {
          const name = this.readIdent();
          const type = this.readTypeName();
          this.expect('=');
          decls.push(this.decl('output', name, decorators, type, false, this.readValue(), line));
          break;
        }
        case 'resource':
        case 'module': {
          const name = this.readIdent();
          this.skipTrivia(false);
          const type = this.readStringLiteral();
          this.skipTrivia(false);
          let existing = false;
          if (keyword === 'resource' && this.text.startsWith('existing', this.pos)) {
            this.pos += 'existing'.length;
            existing = true;
          }
          this.expect('=');
          decls.push(this.decl(keyword, name, decorators, type, existing, this.readValue(), line));
          break;
        }
        default:
          this.fail(`unsupported top-level statement '${keyword}'`);
      }
      decorators = [];
      this.endOfStatement();
    }
    if (decorators.length > 0) this.fail('decorator without a declaration');
    return decls;
  }

  private decl(
    keyword: BicepDecl['keyword'],
    name: string,
    decorators: string[],
    type: string,
    existing: boolean,
    value: BicepValue | undefined,
    line: number,
  ): BicepDecl {
    return { keyword, name, decorators, type, existing, value, line };
  }

  // ---- values

  private readValue(): BicepValue {
    this.skipTrivia(false);
    const start = this.pos;
    const primary = this.readPrimary();
    this.skipTrivia(false);
    if (primary.kind !== 'expr' && !this.atTerminator()) {
      // A literal followed by more expression (`'a' == b`, `{...}.x`): the whole thing is an expression.
      this.pos = start;
      return { kind: 'expr', text: this.readExpression() };
    }
    return primary;
  }

  private readPrimary(): BicepValue {
    const c = this.peek();
    if (c === '{') return this.readObject();
    if (c === '[') return this.readArrayOrFor();
    if (c === "'") return this.readStringValue();
    if (this.text.startsWith('if', this.pos) && /^if\s*\(/.test(this.text.slice(this.pos, this.pos + 10))) {
      this.pos += 2;
      this.skipTrivia(false);
      const condition = this.readBalanced('(', ')');
      const body = this.readValue();
      return { kind: 'if', condition: condition.slice(1, -1).trim(), body };
    }
    return { kind: 'expr', text: this.readExpression() };
  }

  private readObject(): BicepValue {
    this.expect('{');
    const props: BicepProp[] = [];
    for (;;) {
      this.skipTrivia(true);
      if (this.peek() === '}') {
        this.pos++;
        return { kind: 'object', props };
      }
      const key = this.peek() === "'" ? this.readStringLiteral() : this.readIdent();
      this.expect(':');
      const value = this.readValue();
      props.push({ key, value });
      this.skipTrivia(false);
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== '\n' && this.peek() !== '\r' && this.peek() !== '}') {
        this.fail(`expected a new line, ',' or '}' after property '${key}'`);
      }
    }
  }

  private readArrayOrFor(): BicepValue {
    this.expect('[');
    this.skipTrivia(true);
    if (/^for\s/.test(this.text.slice(this.pos, this.pos + 4))) {
      this.pos += 3;
      const headerStart = this.pos;
      while (this.pos < this.text.length && this.peek() !== ':') {
        if (this.peek() === '(') this.readBalanced('(', ')');
        else this.pos++;
      }
      const header = this.text.slice(headerStart, this.pos).trim();
      this.expect(':');
      const body = this.readValue();
      this.skipTrivia(true);
      this.expect(']');
      return { kind: 'for', header, body };
    }
    const items: BicepValue[] = [];
    for (;;) {
      this.skipTrivia(true);
      if (this.peek() === ']') {
        this.pos++;
        return { kind: 'array', items };
      }
      items.push(this.readValue());
      this.skipTrivia(false);
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== '\n' && this.peek() !== '\r' && this.peek() !== ']') {
        this.fail("expected a new line, ',' or ']' between array items");
      }
    }
  }

  private readStringValue(): BicepValue {
    const start = this.pos;
    const value = this.readStringLiteral();
    const raw = this.text.slice(start, this.pos);
    return { kind: 'string', value, interpolated: !raw.startsWith("'''") && /(^|[^\\])\$\{/.test(raw) };
  }

  /** Reads a string literal; returns its content with escapes decoded and interpolations kept as `${...}`. */
  private readStringLiteral(): string {
    if (this.text.startsWith("'''", this.pos)) {
      const end = this.text.indexOf("'''", this.pos + 3);
      if (end < 0) this.fail('unterminated multi-line string');
      const value = this.text.slice(this.pos + 3, end);
      this.pos = end + 3;
      return value;
    }
    this.expect("'");
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unterminated string');
      const c = this.text[this.pos]!;
      if (c === '\n') this.fail('new line in a string');
      if (c === "'") {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        const n = this.text[this.pos + 1];
        const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", $: '$' };
        const decoded = n === undefined ? undefined : escapes[n];
        if (decoded === undefined) this.fail(`unknown escape '\\${n ?? ''}'`);
        out += decoded;
        this.pos += 2;
        continue;
      }
      if (c === '$' && this.text[this.pos + 1] === '{') {
        const start = this.pos;
        this.pos++;
        this.readBalanced('{', '}');
        out += this.text.slice(start, this.pos);
        continue;
      }
      out += c;
      this.pos++;
    }
  }

  /** An expression up to a new line, ',' , '}' or ']' outside brackets and strings. */
  private readExpression(): string {
    const start = this.pos;
    let openTernaries = 0;
    while (this.pos < this.text.length) {
      const c = this.peek();
      if (c === '?' && !/[?.[]/.test(this.text[this.pos + 1] ?? '') && this.text[this.pos - 1] !== '.') {
        openTernaries++;
      } else if (c === ':' && this.text[this.pos + 1] === ':') {
        this.pos += 2; // nested resource accessor `parent::child`
        continue;
      } else if (c === ':') {
        // Outside brackets a ':' only belongs to `cond ? a : b`; otherwise a separator is missing.
        if (openTernaries === 0) this.fail("unexpected ':' (missing a new line or ',' before a property?)");
        openTernaries--;
      }
      if (c === "'") {
        this.readStringLiteral();
        continue;
      }
      if (c === '(') {
        this.readBalanced('(', ')');
        continue;
      }
      if (c === '[') {
        this.readBalanced('[', ']');
        continue;
      }
      if (c === '{') {
        this.readBalanced('{', '}');
        continue;
      }
      if (this.atTerminator()) break;
      this.pos++;
    }
    const text = this.text.slice(start, this.pos).trim();
    if (text === '') this.fail('expected a value');
    return text;
  }

  private atTerminator(): boolean {
    const c = this.peek();
    return (
      c === undefined ||
      c === '\n' ||
      c === '\r' ||
      c === ',' ||
      c === '}' ||
      c === ']' ||
      c === ')' ||
      this.text.startsWith('//', this.pos) ||
      this.text.startsWith('/*', this.pos)
    );
  }

  /** Reads `open ... close` (nesting, strings and comments respected); returns the text including both. */
  private readBalanced(open: string, close: string): string {
    const start = this.pos;
    this.expect(open);
    const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
    const stack = [close];
    while (stack.length > 0) {
      if (this.pos >= this.text.length) this.fail(`unbalanced '${open}'`);
      const c = this.peek()!;
      if (c === "'") {
        this.readStringLiteral();
        continue;
      }
      if (this.text.startsWith('//', this.pos) || this.text.startsWith('/*', this.pos)) {
        this.skipTrivia(true);
        continue;
      }
      const closer = pairs[c];
      if (closer !== undefined) stack.push(closer);
      else if (c === ')' || c === ']' || c === '}') {
        if (stack.pop() !== c) this.fail(`mismatched '${c}'`);
      }
      this.pos++;
    }
    return this.text.slice(start, this.pos);
  }

  // ---- tokens

  private readDecorator(): string {
    const start = this.pos;
    this.expect('@');
    this.readIdent();
    if (this.peek() === '(') this.readBalanced('(', ')');
    return this.text.slice(start, this.pos);
  }

  private readTypeName(): string {
    this.skipTrivia(false);
    let type = this.readIdent();
    while (this.text.startsWith('[]', this.pos)) {
      type += '[]';
      this.pos += 2;
    }
    if (this.peek() === '?') {
      type += '?';
      this.pos++;
    }
    return type;
  }

  private readIdent(): string {
    this.skipTrivia(false);
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.text);
    if (!m) this.fail('expected an identifier');
    this.pos += m[0].length;
    return m[0];
  }

  private expect(token: string): void {
    this.skipTrivia(false);
    if (!this.text.startsWith(token, this.pos)) this.fail(`expected '${token}'`);
    this.pos += token.length;
  }

  private endOfStatement(): void {
    this.skipTrivia(false);
    const c = this.peek();
    if (c !== undefined && c !== '\n' && c !== '\r') this.fail('expected the end of the line');
  }

  /** Skips blanks and comments; new lines too when `newlines`. */
  private skipTrivia(newlines: boolean): void {
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === ' ' || c === '\t' || ((c === '\n' || c === '\r') && newlines)) {
        this.pos++;
      } else if (this.text.startsWith('//', this.pos)) {
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.text.length : end;
      } else if (this.text.startsWith('/*', this.pos)) {
        const end = this.text.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('unterminated comment');
        this.pos = end + 2;
      } else {
        break;
      }
    }
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private lineAt(pos: number): number {
    let line = 1;
    for (let i = 0; i < pos; i++) if (this.text[i] === '\n') line++;
    return line;
  }

  private fail(message: string): never {
    throw new BicepParseError(this.file, this.lineAt(this.pos), message);
  }
}

/** Parses a Bicep file into its declarations. @throws BicepParseError */
export function parseBicep(text: string, file = '<bicep>'): BicepDecl[] {
  return new Parser(text, file).parseFile();
}

/** The body of a value, through `for` and `if` wrappers. */
export function unwrap(value: BicepValue | undefined): BicepValue | undefined {
  let v = value;
  while (v && (v.kind === 'for' || v.kind === 'if')) v = v.body;
  return v;
}

/** Property `path` (dot-separated keys) of an object value, through `for`/`if` wrappers. */
export function prop(value: BicepValue | undefined, path: string): BicepValue | undefined {
  let v = unwrap(value);
  for (const key of path.split('.')) {
    if (!v || v.kind !== 'object') return undefined;
    v = unwrap(v.props.find((p) => p.key === key)?.value);
  }
  return v;
}

/** The content of a plain (non-interpolated) string value; undefined otherwise. */
export function literal(value: BicepValue | undefined): string | undefined {
  return value?.kind === 'string' && !value.interpolated ? value.value : undefined;
}

/** Source text of a value: the expression, or the string's content (interpolations kept). */
export function text(value: BicepValue | undefined): string | undefined {
  if (!value) return undefined;
  if (value.kind === 'expr') return value.text;
  if (value.kind === 'string') return value.value;
  return undefined;
}

/** `resource` declarations split into type and API version. */
export interface BicepResource {
  readonly symbol: string;
  readonly type: string;
  readonly apiVersion: string;
  readonly existing: boolean;
  /** The condition of `= if (...)` (or of a loop body's `if`), when there is one. */
  readonly condition: string | undefined;
  /** The loop header of `= [for ...]`, when there is one. */
  readonly loop: string | undefined;
  readonly body: BicepValue | undefined;
  readonly decl: BicepDecl;
}

/** Every `resource` of a parsed file. */
export function resources(decls: readonly BicepDecl[]): BicepResource[] {
  return decls
    .filter((d) => d.keyword === 'resource')
    .map((d) => {
      const [type = '', apiVersion = ''] = d.type.split('@');
      let v = d.value;
      let loop: string | undefined;
      let condition: string | undefined;
      while (v && (v.kind === 'for' || v.kind === 'if')) {
        if (v.kind === 'for') loop = v.header;
        else condition = v.condition;
        v = v.body;
      }
      return { symbol: d.name, type, apiVersion, existing: d.existing, condition, loop, body: v, decl: d };
    });
}

/** The declaration `name` of a given keyword, if any. */
export function declaration(
  decls: readonly BicepDecl[],
  keyword: BicepDecl['keyword'],
  name: string,
): BicepDecl | undefined {
  return decls.find((d) => d.keyword === keyword && d.name === name);
}

/** Values of a parameter's `@allowed([...])` decorator, or undefined when it has none. */
export function allowedValues(decl: BicepDecl): string[] | undefined {
  const dec = decl.decorators.find((d) => d.startsWith('@allowed('));
  if (!dec) return undefined;
  const inner = parseBicep(`var x = ${dec.slice('@allowed('.length, -1)}\n`, '@allowed');
  const value = inner[0]?.value;
  if (value?.kind !== 'array') return undefined;
  return value.items.map((i) => (i.kind === 'string' ? i.value : i.kind === 'expr' ? i.text : '?'));
}
