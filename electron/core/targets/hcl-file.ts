import { ToolFileError } from './tool-file.js';

/**
 * The Terraform CLI configuration file (`.terraformrc`, `terraform.rc`), in HCL's native syntax,
 * read as far as Artikey needs to splice one `credentials "<host>" { token = "…" }` block. No
 * maintained JavaScript library reads HCL and writes it back with its comments and layout, so this
 * is a small scanner of positions for exactly that: top-level attributes and blocks (with nested
 * blocks), block labels, `#`, `//` and `/* *\/` comments, quoted strings with their escapes and
 * `${…}`/`%{…}` templates, heredocs (`<<EOF`, `<<-EOF`) and bracketed expressions. Every byte
 * outside the spliced block stays as it was; a file it cannot read is refused with the line and
 * column, and nothing is changed.
 */
export interface HclAttribute {
  kind: 'attribute';
  name: string;
  /** Offset of the name. */
  start: number;
  valueStart: number;
  valueEnd: number;
  /** The value when it is one quoted string without a template; null otherwise. */
  text: string | null;
}

export interface HclBlock {
  kind: 'block';
  type: string;
  /** The decoded labels (`credentials "acme.jfrog.io"` has one). */
  labels: string[];
  /** Offset of the block type. */
  start: number;
  /** Offset of `{`. */
  open: number;
  /** Offset of `}`. */
  close: number;
  items: HclItem[];
}

export type HclItem = HclAttribute | HclBlock;

/** The top-level attributes and blocks of `text`; throws `tool-file-invalid` with the place it stopped. */
export function readHcl(text: string, file: string): HclItem[] {
  return new Scanner(text, file).document();
}

/** A quoted HCL string holding `value` exactly (callers refuse what safe-values.ts calls unsafe). */
export const hclString = (value: string): string => `"${value}"`;

/** HCL v1's identifiers (its scanner: letters, digits, "_", "-" and "."), so bare labels such as acme.jfrog.io too. */
const IDENTIFIER = /[\p{L}_][\p{L}\p{Nd}_.-]*/uy;
/** A heredoc marker in HCL v1's scanner: letters (`_` too) and digits, any script. */
const HEREDOC_MARKER = /[\p{L}_\p{Nd}]*/uy;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

class Scanner {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  document(): HclItem[] {
    return this.body(false);
  }

  private fail(at: number, what: string): never {
    const before = this.text.slice(0, at).split('\n');
    throw new ToolFileError(
      'tool-file-invalid',
      `${this.file} is not HCL Artikey can edit safely: ${what} at line ${before.length}, column ${before.at(-1)!.length + 1}. Artikey left the file untouched.`,
    );
  }

  private peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  /** Spaces, tabs and comments; line breaks too when `lines`. A line comment stops before its line break. */
  private skip(lines: boolean): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || (lines && (c === '\n' || c === '\r'))) this.pos++;
      else if (c === '#' || (c === '/' && this.peek(1) === '/')) {
        while (this.pos < this.text.length && !'\r\n'.includes(this.peek())) this.pos++;
      } else if (c === '/' && this.peek(1) === '*') {
        const end = this.text.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail(this.pos, 'a /* comment that never ends');
        this.pos = end + 2;
      } else return;
    }
  }

  private identifier(): string | null {
    IDENTIFIER.lastIndex = this.pos;
    const match = IDENTIFIER.exec(this.text);
    if (!match) return null;
    this.pos += match[0].length;
    return match[0];
  }

  /** Items up to the end of the text, or up to and over the `}` closing a block. */
  private body(closed: boolean): HclItem[] {
    const items: HclItem[] = [];
    for (;;) {
      this.skip(true);
      if (this.pos >= this.text.length) {
        if (closed) this.fail(this.pos, 'a block without its closing }');
        return items;
      }
      if (closed && this.peek() === '}') return items;
      const start = this.pos;
      // HCL also takes a quoted name: "credentials" "host" { … } is a credentials block.
      const name = this.peek() === '"' ? this.quoted() : this.identifier();
      if (name === null && this.peek() === '\uFEFF')
        this.fail(
          start,
          'a byte-order mark, which Terraform cannot read (save the file as UTF-8 without one)',
        );
      if (name === null) this.fail(start, `"${this.peek()}" where a setting or block should start`);
      this.skip(false);
      if (this.peek() === '=' && this.peek(1) !== '=') {
        this.pos++;
        this.skip(false);
        const valueStart = this.pos;
        this.expression();
        items.push({
          kind: 'attribute',
          name,
          start,
          valueStart,
          valueEnd: this.pos,
          text: this.plainString(valueStart, this.pos),
        });
      } else items.push(this.block(name, start));
      this.skip(false);
      const next = this.peek();
      if (next !== '' && next !== '\n' && next !== '\r' && !(closed && next === '}'))
        this.fail(this.pos, `"${next}" after a setting, where a new line should start`);
    }
  }

  private block(type: string, start: number): HclBlock {
    const labels: string[] = [];
    for (;;) {
      if (this.peek() === '"') labels.push(this.quoted());
      else {
        const label = this.identifier();
        if (label === null) break;
        labels.push(label);
      }
      this.skip(false);
    }
    if (this.peek() !== '{')
      this.fail(
        this.pos,
        `"${this.peek() || 'the end of the file'}" where "=" or a block's { should be`,
      );
    const open = this.pos++;
    const items = this.body(true);
    const close = this.pos++;
    return { kind: 'block', type, labels, start, open, close, items };
  }

  /** One expression, up to the end of its line outside brackets (or the `}` of a one-line block). */
  private expression(): void {
    const depth: string[] = [];
    const start = this.pos;
    let end = this.pos;
    for (;;) {
      this.skip(depth.length > 0);
      const c = this.peek();
      if (c === '') break;
      if (depth.length === 0 && (c === '\n' || c === '\r' || c === '}')) break;
      if (c === '"') this.quoted();
      else if (c === '<' && this.peek(1) === '<') this.heredoc();
      else if ('([{'.includes(c)) {
        depth.push({ '(': ')', '[': ']', '{': '}' }[c]!);
        this.pos++;
      } else if (')]}'.includes(c)) {
        if (depth.pop() !== c) this.fail(this.pos, `an unmatched "${c}"`);
        this.pos++;
      } else this.pos++;
      end = this.pos;
    }
    if (end === start) this.fail(start, 'a setting without a value');
    this.pos = end;
  }

  /** A quoted string at `"`; returns its value, templates kept as written. */
  quoted(): string {
    const start = this.pos++;
    let value = '';
    for (;;) {
      const c = this.peek();
      if (c === '' || c === '\n' || c === '\r') this.fail(start, 'a string that never ends');
      if (c === '"') {
        this.pos++;
        return value;
      }
      if (c === '\\') {
        const e = this.peek(1);
        const hex = e === 'u' ? 4 : e === 'U' ? 8 : 0;
        if (hex > 0) {
          const digits = this.text.slice(this.pos + 2, this.pos + 2 + hex);
          if (!new RegExp(`^[0-9A-Fa-f]{${hex}}$`).test(digits))
            this.fail(this.pos, 'a \\u escape without its hex digits');
          value += String.fromCodePoint(parseInt(digits, 16));
          this.pos += 2 + hex;
        } else if (e in ESCAPES) {
          value += ESCAPES[e]!;
          this.pos += 2;
        } else this.fail(this.pos, `an unknown escape \\${e}`);
      } else if ((c === '$' || c === '%') && this.peek(1) === c && this.peek(2) === '{') {
        value += `${c}{`;
        this.pos += 3;
      } else if ((c === '$' || c === '%') && this.peek(1) === '{') {
        const from = this.pos;
        this.pos += 2;
        this.template(from);
        value += this.text.slice(from, this.pos);
      } else {
        value += c;
        this.pos++;
      }
    }
  }

  /** A `${…}` or `%{…}` inside a string, up to its closing brace. */
  private template(from: number): void {
    let depth = 1;
    while (depth > 0) {
      this.skip(true);
      const c = this.peek();
      if (c === '') this.fail(from, 'a ${ template that never ends');
      if (c === '"') this.quoted();
      else {
        if (c === '{') depth++;
        if (c === '}') depth--;
        this.pos++;
      }
    }
  }

  /**
   * `<<EOF` or `<<-EOF` to the line holding only its marker, exactly as HCL v1's scanner reads it
   * (hcl/scanner/scanner.go, scanHeredoc): the marker is letters and digits; the closing line may
   * start with white space and end in carriage returns, but not in spaces; it needs its line break
   * (a marker at the very end of the file closes nothing); and with `<<-` it must be longer than
   * `-EOF` once CRLF is LF, so an unindented `EOF` closes nothing either.
   */
  private heredoc(): void {
    const start = this.pos;
    this.pos += 2;
    const dash = this.peek() === '-';
    if (dash) this.pos++;
    HEREDOC_MARKER.lastIndex = this.pos;
    const marker = HEREDOC_MARKER.exec(this.text)![0];
    this.pos += marker.length;
    if (marker === '') this.fail(start, 'a heredoc without its marker');
    if (this.text.startsWith('\r\n', this.pos)) this.pos++;
    if (this.peek() !== '\n') this.fail(this.pos, 'a heredoc marker not followed by a new line');
    this.pos++;
    const closing = new RegExp(`^[ \\t\\n\\v\\f\\r]*${marker}\\r*$`, 'u');
    for (;;) {
      const lineEnd = this.text.indexOf('\n', this.pos);
      if (lineEnd < 0)
        this.fail(
          start,
          `a heredoc whose closing ${marker} (on a line of its own, then a line break) never comes`,
        );
      const line = this.text.slice(this.pos, lineEnd).replace(/\r$/, '');
      if (closing.test(line) && (!dash || line.length > marker.length)) {
        this.pos += line.replace(/\r*$/, '').length;
        return;
      }
      this.pos = lineEnd + 1;
    }
  }

  /** The value of the expression between the offsets when it is one quoted string without a template. */
  private plainString(start: number, end: number): string | null {
    const raw = this.text.slice(start, end);
    if (!/^"(?:[^"\\$%]|\\.|\$(?!\{)|%(?!\{))*"$/.test(raw)) return null;
    const inner = new Scanner(raw, this.file);
    return inner.quoted();
  }
}
