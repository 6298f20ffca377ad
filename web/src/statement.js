// Renders problem statements: Markdown (marked) or LaTeX (a small converter
// for the commands ICPC / Kattis statements use), with math through KaTeX.
import { Marked } from 'marked';
import katex from 'katex';

export function escapeHtml(s) {
  return String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// ---- the statement's files ----

// Extensions the API serves (problem_package::statement::CONTENT_TYPES); a
// reference without one tries these in order, images before PDF, since a
// browser shows an image inline but a PDF only as a link.
const IMAGE_EXTS = ['png', 'jpg', 'jpeg', 'gif', 'svg'];
const SERVED_EXTS = [...IMAGE_EXTS, 'pdf', 'txt'];

/// The render in progress: which problem, which files its statement has,
/// and its math spans (so that a figure's text keeps its caption's math).
/// Rendering is synchronous, so one module-level context is enough.
let ctx = { problemId: null, assets: [], math: [] };

/// The URL of a statement file.
function assetUrl(problemId, name) {
  return `/api/problems/${encodeURIComponent(problemId)}/statement/${encodeURIComponent(name)}`;
}

/// Resolves a file reference of the statement (`fig`, `fig.png`,
/// `./img/fig.pdf`) to one of its served files, preferring an image: returns
/// `{ url, name, image, rendered }`, or null when the statement has no such
/// file. `rendered` is, for a PDF, the URL of the PNG the API rendered of
/// its first page at import (`fig.pdf.png`, see
/// problem_package::problem::figures), if there is one.
export function resolveAsset(ref, context = ctx) {
  if (!context.problemId || !ref) return null;
  let name = String(ref).trim().replace(/^(\.\/)+/, '');
  try { name = decodeURI(name); } catch { /* keep it as written */ }
  const have = new Map(context.assets.map((a) => [a.toLowerCase(), a]));
  const m = /^(.*)\.([A-Za-z0-9]+)$/.exec(name);
  const ext = m && SERVED_EXTS.includes(m[2].toLowerCase()) ? m[2].toLowerCase() : null;
  const base = ext ? m[1] : name;
  const candidates = [];
  if (ext && IMAGE_EXTS.includes(ext)) candidates.push(name);
  for (const e of IMAGE_EXTS) candidates.push(`${base}.${e}`);
  if (ext && !IMAGE_EXTS.includes(ext)) candidates.push(name);
  candidates.push(`${base}.pdf`, name);
  for (const c of candidates) {
    const hit = have.get(c.toLowerCase());
    if (hit) {
      const url = assetUrl(context.problemId, hit);
      const image = IMAGE_EXTS.includes(hit.split('.').pop().toLowerCase());
      const png = !image && /\.pdf$/i.test(hit) ? context.assets.find((a) => a === `${hit}.png`) : null;
      return { url, name: hit, image, rendered: png ? assetUrl(context.problemId, png) : null };
    }
  }
  return null;
}

/// HTML for a figure file: an <img> (with an optional inline style), a link
/// for a PDF or other file, or a visible note naming a file that is missing
/// (an author's mistake should show, not vanish).
function figureHtml(ref, alt, style = '') {
  // The caption's math stays in the figure's text: as its TeX in the alt
  // attribute (KaTeX's HTML is no attribute text), rendered in a link.
  const withMath = String(alt ?? '').trim();
  const plain = withMath.replace(PH_RE, (_, n) => ctx.math[Number(n)]?.tex ?? '').replace(/\s+/g, ' ').trim();
  const hit = resolveAsset(ref);
  if (!hit) return `<span class="missing-figure" style="color:#b00">[figure ${escapeHtml(ref)} not found]</span>`;
  const src = escapeHtml(hit.url);
  const kind = escapeHtml(hit.name.split('.').pop().toUpperCase());
  // A PDF with its first page rendered at import: the picture, and the PDF to download.
  if (hit.rendered) {
    return `<img src="${escapeHtml(hit.rendered)}" alt="${escapeHtml(plain || hit.name)}" data-file="${escapeHtml(hit.name)}" style="max-width:100%${style}">`
      + `<a class="figure-pdf" href="${src}" target="_blank" rel="noopener" download style="display:block;font-size:12px">${kind}</a>`;
  }
  if (!hit.image) return `<a href="${src}" target="_blank" rel="noopener">${escapeHtml(withMath) || escapeHtml(hit.name)} (${kind})</a>`;
  return `<img src="${src}" alt="${escapeHtml(plain || hit.name)}" data-file="${escapeHtml(hit.name)}" style="max-width:100%${style}">`;
}

function renderMath(tex, display) {
  try {
    return katex.renderToString(tex, {
      displayMode: display,
      throwOnError: false,
      strict: 'ignore',
      trust: false,
      output: 'htmlAndMathml',
    });
  } catch {
    return `<code>${escapeHtml(tex)}</code>`;
  }
}

// Placeholders survive Markdown and the LaTeX converter untouched: letters
// and digits only, no characters either treats specially.
const PH = (i) => `MATHPH${i}XEND`;
const PH_RE = /MATHPH(\d+)XEND/g;

/// Replaces math spans by placeholders; returns the text and the spans.
function extractMath(text) {
  const spans = [];
  const keep = (tex, display) => {
    spans.push({ tex, display });
    return PH(spans.length - 1);
  };
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '$') { out += '\\$'; i += 2; continue; }
    // Markdown code spans and fences keep their dollars.
    if (c === '`') {
      const fence = text.startsWith('```', i) ? '```' : '`';
      const end = text.indexOf(fence, i + fence.length);
      if (end >= 0) { out += text.slice(i, end + fence.length); i = end + fence.length; continue; }
    }
    const pairs = [['$$', '$$', true], ['\\[', '\\]', true], ['\\(', '\\)', false], ['$', '$', false]];
    let matched = false;
    for (const [open, close, display] of pairs) {
      if (!text.startsWith(open, i)) continue;
      let j = i + open.length;
      let end = -1;
      while (j < text.length) {
        if (text[j] === '\\' && !text.startsWith(close, j)) { j += 2; continue; }
        if (text.startsWith(close, j)) { end = j; break; }
        if (open === '$' && text[j] === '\n' && text[j + 1] === '\n') break;
        j++;
      }
      if (end > i + open.length - 1 && end >= 0) {
        out += keep(text.slice(i + open.length, end), display);
        i = end + close.length;
        matched = true;
      }
      break;
    }
    if (matched) continue;
    // Math environments of LaTeX statements.
    const env = /^\\begin\{(equation\*?|align\*?|eqnarray\*?|gather\*?|displaymath)\}/.exec(text.slice(i, i + 40));
    if (env) {
      const endTag = `\\end{${env[1]}}`;
      const end = text.indexOf(endTag, i);
      if (end >= 0) {
        let body = text.slice(i + env[0].length, end);
        if (/^align|^eqnarray/.test(env[1])) body = `\\begin{aligned}${body}\\end{aligned}`;
        if (/^gather/.test(env[1])) body = `\\begin{gathered}${body}\\end{gathered}`;
        out += keep(body, true);
        i = end + endTag.length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return { text: out, spans };
}

function restoreMath(html, spans) {
  return html.replace(PH_RE, (_, n) => {
    const s = spans[Number(n)];
    return s ? renderMath(s.tex, s.display) : '';
  });
}

const marked = new Marked({ gfm: true, breaks: false });
// Statements come from problem packages; still, raw HTML is shown as text,
// and links go only to the web, mail, anchors or the statement's own files.
const SAFE_HREF = /^(https?:|mailto:|#)/i;
const RELATIVE = /^(?![a-z][a-z0-9+.-]*:)(?!\/)/i;
marked.use({
  renderer: {
    html(token) {
      return escapeHtml(token.text ?? token.raw ?? '');
    },
    image(token) {
      if (SAFE_HREF.test(token.href) && !token.href.startsWith('#')) return false;
      const alt = token.text ?? '';
      if (!RELATIVE.test(token.href)) return escapeHtml(alt);
      return figureHtml(token.href, alt);
    },
    link(token) {
      if (SAFE_HREF.test(token.href)) return false;
      const text = this.parser.parseInline(token.tokens);
      const hit = RELATIVE.test(token.href) ? resolveAsset(token.href) : null;
      return hit ? `<a href="${escapeHtml(hit.url)}" target="_blank" rel="noopener">${text}</a>` : text;
    },
  },
});

export function renderMarkdown(text) {
  const { text: md, spans } = extractMath(text);
  ctx.math = spans;
  const html = marked.parse(md.replace(/\\\$/g, '&#36;'));
  return restoreMath(html, spans);
}

// ---- LaTeX ----
//
// The converter works on HTML-escaped text (so nothing in a statement can
// become markup by itself) with math and verbatim text taken out first as
// placeholders. It knows what ICPC / Kattis (problemtools) statements use:
// sections, lists, tabular, figures with \includegraphics and \caption,
// \illustration, the usual inline commands, and typographic ligatures.

/// Reads a balanced {...} group starting at s[i] === '{'; returns [content, next index].
function group(s, i) {
  if (s[i] !== '{') return null;
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    if (s[j] === '\\') { j++; continue; }
    if (s[j] === '{') depth++;
    else if (s[j] === '}') {
      depth--;
      if (depth === 0) return [s.slice(i + 1, j), j + 1];
    }
  }
  return [s.slice(i + 1), s.length];
}

/// Reads an optional [...] argument at s[i] (after spaces); returns [content, next index].
function optional(s, i) {
  let j = i;
  while (s[j] === ' ') j++;
  if (s[j] !== '[') return [null, i];
  const end = s.indexOf(']', j);
  return end < 0 ? [null, i] : [s.slice(j + 1, end), end + 1];
}

/// Reads `count` mandatory {...} arguments from s[i] (spaces and newlines between).
function args(s, i, count) {
  const out = [];
  let j = i;
  for (let k = 0; k < count; k++) {
    while (s[j] === ' ' || s[j] === '\n') j++;
    const g = group(s, j);
    if (!g) return null;
    out.push(g[0]);
    j = g[1];
  }
  return [out, j];
}

const SYMBOLS = {
  '\\ldots': '…', '\\dots': '…', '\\cdots': '⋯', '\\LaTeX': 'LaTeX', '\\TeX': 'TeX',
  '\\textbackslash': '\\', '\\quad': '\u2003', '\\qquad': '\u2003\u2003', '\\noindent': '',
  '\\medskip': '', '\\bigskip': '', '\\smallskip': '', '\\centering': '', '\\newline': '<br>',
  '\\clearpage': '', '\\newpage': '', '\\par': '\n\n', '\\hfill': '', '\\today': '',
  '\\raggedright': '', '\\raggedleft': '', '\\linebreak': '<br>', '\\pagebreak': '',
  '\\hline': '', '\\toprule': '', '\\midrule': '', '\\bottomrule': '', '\\item': '',
  '\\%': '%', '\\&amp;': '&amp;', '\\#': '#', '\\_': '_', '\\{': '{', '\\}': '}', '\\$': '$',
  '\\,': '\u2009', '\\ ': ' ', '\\-': '', '\\@': '', '\\/': '',
};

const INLINE = {
  textbf: ['<strong>', '</strong>'], bf: ['<strong>', '</strong>'],
  textit: ['<em>', '</em>'], emph: ['<em>', '</em>'], textsl: ['<em>', '</em>'], it: ['<em>', '</em>'],
  texttt: ['<code>', '</code>'], tt: ['<code>', '</code>'], textsc: ['<span class="sc">', '</span>'],
  underline: ['<u>', '</u>'], textrm: ['', ''], textsf: ['', ''], mbox: ['', ''], text: ['', ''],
  textup: ['', ''], textnormal: ['', ''], small: ['', ''], large: ['', ''], Large: ['', ''],
  section: ['\n\n<h3>', '</h3>\n\n'], 'section*': ['\n\n<h3>', '</h3>\n\n'],
  subsection: ['\n\n<h4>', '</h4>\n\n'], 'subsection*': ['\n\n<h4>', '</h4>\n\n'],
  subsubsection: ['\n\n<h5>', '</h5>\n\n'], 'subsubsection*': ['\n\n<h5>', '</h5>\n\n'],
  paragraph: ['\n\n<strong>', '</strong> '], problemname: ['\n\n<h2>', '</h2>\n\n'],
  title: ['\n\n<h2>', '</h2>\n\n'], footnote: [' <small>(', ')</small>'],
};
const DROP_ARG = new Set(['label', 'vspace', 'hspace', 'vspace*', 'hspace*', 'input', 'documentclass',
  'usepackage', 'ref', 'cite', 'caption', 'cline', 'setlength', 'addtolength', 'newcommand', 'renewcommand']);

/// `width=0.5\textwidth` (or `\linewidth`, `\columnwidth`) becomes a
/// percentage, `width=4cm` stays a length; `scale=0.5` a percentage of the
/// statement's width, which is near enough. Returns a CSS fragment to add.
function sizeStyle(options) {
  if (!options) return '';
  let style = '';
  for (const opt of options.split(',')) {
    const m = /^\s*(width|height|scale)\s*=\s*([0-9.]*)\s*(\\(?:text|line|column)width|cm|mm|in|pt|em|ex|px)?\s*$/.exec(opt);
    if (!m) continue;
    const n = Number(m[2] || '1');
    if (!(n > 0 && n < 10000)) continue;
    if (m[1] === 'scale') { style += `;width:${Math.min(n * 100, 100)}%`; continue; }
    if (!m[3] || m[3].startsWith('\\')) {
      if (m[1] === 'width') style += `;width:${Math.min(n * 100, 100)}%`;
    } else {
      style += `;${m[1]}:${n}${m[3]}`;
    }
  }
  return style;
}

/// \includegraphics[options]{file} as an <img>.
function includegraphics(options, file, alt) {
  return figureHtml(file.trim(), alt, sizeStyle(options));
}

/// Converts inline commands (recursively) on already-escaped text.
function inline(s) {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') {
      if (s[i + 1] === '\\') {
        out += '<br>';
        i += 2;
        const [, next] = optional(s, i); // \\[2mm]
        i = next;
        continue;
      }
      const m = /^\\([A-Za-z]+\*?)/.exec(s.slice(i, i + 40));
      if (!m) {
        const two = s.slice(i, i + 2);
        const amp = s.slice(i, i + 6);
        if (SYMBOLS[amp] !== undefined) { out += SYMBOLS[amp]; i += 6; continue; }
        out += SYMBOLS[two] ?? s[i + 1] ?? '';
        i += 2;
        continue;
      }
      const name = m[1];
      let j = i + m[0].length;
      if (SYMBOLS['\\' + name] !== undefined) {
        out += SYMBOLS['\\' + name];
        i = j;
        if (s[i] === '{' && s[i + 1] === '}') i += 2;
        continue;
      }
      let opt;
      [opt, j] = optional(s, j);
      while (s[j] === ' ' && s[j + 1] === '{') j++;
      if (name === 'url' || name === 'href') {
        const g1 = group(s, j);
        if (g1) {
          let label = g1[0];
          let next = g1[1];
          if (name === 'href') { const g2 = group(s, next); if (g2) { label = inline(g2[0]); next = g2[1]; } }
          const href = /^(https?:|mailto:)/.test(g1[0]) ? g1[0] : '#';
          out += `<a href="${href}" rel="noopener noreferrer">${label}</a>`;
          i = next;
          continue;
        }
      }
      if (name === 'includegraphics') {
        const g = group(s, j);
        if (g) { out += includegraphics(opt, g[0], ''); i = g[1]; continue; }
      }
      if (name === 'illustration') {
        const a = args(s, j, 3);
        if (a) { out += illustration(...a[0]); i = a[1]; continue; }
      }
      if (name === 'multicolumn' || name === 'multirow') {
        // Outside a table (or where the table code did not take it): its text.
        const a = args(s, j, 3);
        if (a) { out += inline(a[0][2]); i = a[1]; continue; }
      }
      if (DROP_ARG.has(name)) {
        const g = group(s, j);
        i = g ? g[1] : j;
        continue;
      }
      const wrap = INLINE[name];
      if (wrap) {
        const g = group(s, j);
        if (g) { out += wrap[0] + inline(g[0]) + wrap[1]; i = g[1]; continue; }
        i = j;
        continue;
      }
      // Unknown command: keep its argument's text, drop the command.
      const g = group(s, j);
      if (g) { out += inline(g[0]); i = g[1]; } else { i = j; }
      continue;
    }
    if (c === '{' || c === '}') { i++; continue; }
    if (c === '~') { out += '&nbsp;'; i++; continue; }
    if (s.startsWith('---', i)) { out += '—'; i += 3; continue; }
    if (s.startsWith('--', i)) { out += '–'; i += 2; continue; }
    if (s.startsWith('``', i)) { out += '“'; i += 2; continue; }
    if (s.startsWith('&#39;&#39;', i)) { out += '”'; i += 10; continue; }
    if (c === '`') { out += '‘'; i++; continue; }
    out += c;
    i++;
  }
  return out;
}

/// problemtools' `\illustration{width}{file}{caption}`: a figure floated to
/// the right, `width` a fraction of the text width.
function illustration(width, file, caption) {
  const w = Number(width);
  const pct = w > 0 && w <= 1 ? Math.round(w * 100) : 30;
  const cap = caption.trim() ? `<figcaption style="font-size:12px;color:#666">${inline(caption)}</figcaption>` : '';
  return `<figure class="illustration" style="float:right;width:${pct}%;margin:4px 0 8px 16px;text-align:center">`
    + `${figureHtml(file.trim(), plainText(caption), ';width:100%')}${cap}</figure>`;
}

/// Escaped LaTeX text as plain text for an attribute: commands and braces
/// dropped, entities decoded (the attribute is escaped again).
function plainText(escaped) {
  return escaped.replace(/\\[A-Za-z]+\*?/g, '').replace(/[{}\\]/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/---/g, '—').replace(/--/g, '–').replace(/\s+/g, ' ').trim();
}

// ---- tabular ----

/// Column spec `{|l|c|r|}` / `{lp{3cm}}` / `{*{3}{c}}`: alignment and rules per column.
function parseColumns(spec) {
  // Expand *{n}{cols}.
  for (let guard = 0; guard < 10 && spec.includes('*{'); guard++) {
    spec = spec.replace(/\*\{(\d+)\}\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/, (_, n, cols) => cols.repeat(Math.min(Number(n), 50)));
  }
  const cols = [];
  let rule = false;
  for (let i = 0; i < spec.length; i++) {
    const ch = spec[i];
    if (ch === '|') { if (cols.length) cols[cols.length - 1].right = true; else rule = true; continue; }
    if ('@><!'.includes(ch)) { const g = group(spec, i + 1); if (g) i = g[1] - 1; continue; }
    if ('pmbwX'.includes(ch)) {
      const g = group(spec, i + 1);
      if (g) i = g[1] - 1;
      cols.push({ align: 'left', left: rule, right: false });
      rule = false;
      continue;
    }
    if ('lcr'.includes(ch)) {
      cols.push({ align: { l: 'left', c: 'center', r: 'right' }[ch], left: rule, right: false });
      rule = false;
    }
  }
  return cols;
}

const RULE = '1px solid #888';

/// One tabular environment (escaped text of its body) as an HTML table.
function tabular(spec, body) {
  const cols = parseColumns(spec);
  const rows = [];
  let pendingTop = false;
  // Rows end at \\ (with an optional [length]); rules before a row mark its top.
  for (let raw of body.split(/\\\\(?:\s*\[[^\]]*\])?/)) {
    let top = pendingTop;
    pendingTop = false;
    raw = raw.replace(/^\s*((?:\\(?:hline|toprule|midrule|bottomrule|cline\{[^}]*\})\s*)+)/, (_, rules) => {
      top = true;
      return '';
    });
    // Rules at the end of the last chunk belong under the previous row.
    if (!raw.trim()) {
      if (top && rows.length) rows[rows.length - 1].bottom = true;
      continue;
    }
    const cells = raw.split(/(?<!\\)&amp;/);
    rows.push({ top, bottom: false, cells });
  }
  const html = rows.map((row) => {
    let col = 0;
    const tds = row.cells.map((cell) => {
      let text = cell.trim();
      let span = 1;
      let align = cols[col]?.align ?? 'left';
      const mc = /^\\multicolumn\s*/.exec(text);
      if (mc) {
        const a = args(text, mc[0].length, 3);
        if (a) {
          span = Math.max(1, Math.min(Number(a[0][0]) || 1, 50));
          const c = parseColumns(a[0][1])[0];
          if (c) align = c.align;
          text = a[0][2] + text.slice(a[1]);
        }
      }
      const first = cols[col];
      const last = cols[col + span - 1];
      col += span;
      const style = [`padding:3px 10px`, `text-align:${align}`];
      if (first?.left) style.push(`border-left:${RULE}`);
      if (last?.right) style.push(`border-right:${RULE}`);
      if (row.top) style.push(`border-top:${RULE}`);
      if (row.bottom) style.push(`border-bottom:${RULE}`);
      return `<td${span > 1 ? ` colspan="${span}"` : ''} style="${style.join(';')}">${inline(text)}</td>`;
    });
    return `<tr>${tds.join('')}</tr>`;
  }).join('');
  return `<table class="tabular" style="border-collapse:collapse;width:auto;margin:10px auto">${html}</table>`;
}

/// Replaces every tabular (innermost first) by its HTML table, on one line:
/// blank lines would split it into paragraphs.
function tables(s) {
  for (let guard = 0; guard < 20; guard++) {
    const start = s.search(/\\begin\{(tabular\*?|tabularx|array)\}/);
    if (start < 0) break;
    const env = /\\begin\{(tabular\*?|tabularx|array)\}/.exec(s.slice(start))[1];
    let j = start + `\\begin{${env}}`.length;
    if (env === 'tabular*' || env === 'tabularx') { const g = args(s, j, 1); if (g) j = g[1]; } // width
    [, j] = optional(s, j);
    const specArg = args(s, j, 1);
    if (!specArg) break;
    const endTag = `\\end{${env}}`;
    const end = s.indexOf(endTag, specArg[1]);
    if (end < 0) break;
    let body = s.slice(specArg[1], end);
    // A nested tabular is done first.
    if (/\\begin\{(tabular\*?|tabularx|array)\}/.test(body)) body = tables(body);
    s = `${s.slice(0, start)}${tabular(specArg[0][0], body).replace(/\n/g, ' ')}${s.slice(end + endTag.length)}`;
  }
  return s;
}

// ---- figures ----

/// figure / table environments: their graphics, tables and caption as one
/// <figure> block; \illustration as a right-floated figure of its own.
function figures(s) {
  s = s.replace(/\\begin\{(figure|table|wrapfigure)\*?\}((?:\[[^\]]*\])?(?:\{[^}]*\})*)([\s\S]*?)\\end\{\1\*?\}/g,
    (_, env, __, body) => {
      // The caption first: it is the figure's alt text too.
      const capAt = /\\caption\*?(?:\[[^\]]*\])?\s*(?=\{)/.exec(body);
      const caption = capAt ? group(body, capAt.index + capAt[0].length)[0] : '';
      const alt = plainText(caption);
      let content = '';
      let i = 0;
      while (i < body.length) {
        const m = /\\(caption|includegraphics|label|centering)\b\*?/.exec(body.slice(i));
        if (!m) { content += body.slice(i); break; }
        content += body.slice(i, i + m.index);
        let j = i + m.index + m[0].length;
        let opt;
        [opt, j] = optional(body, j);
        if (m[1] === 'centering') { i = j; continue; }
        const g = args(body, j, 1);
        if (!g) { i = j; continue; }
        if (m[1] === 'includegraphics') content += includegraphics(opt, g[0][0], alt);
        i = g[1];
      }
      const cap = caption ? `<figcaption style="font-size:13px;color:#555;margin-top:4px">${inline(caption)}</figcaption>` : '';
      const inner = inline(content.replace(/\s*\n\s*/g, ' ')).trim();
      return `\n\n<figure class="${env}" style="margin:12px 0;text-align:center">${inner}${cap}</figure>\n\n`;
    });
  // \illustration at the start of a paragraph: a block before it.
  let out = '';
  let i = 0;
  for (;;) {
    const k = s.indexOf('\\illustration', i);
    if (k < 0) { out += s.slice(i); break; }
    const a = args(s, k + '\\illustration'.length, 3);
    if (!a) { out += s.slice(i, k + 1); i = k + 1; continue; }
    out += `${s.slice(i, k)}\n\n${illustration(...a[0])}\n\n`;
    i = a[1];
  }
  return out;
}

const LISTS = { itemize: 'ul', enumerate: 'ol', description: 'dl' };

/// Converts block structure: tables, figures, lists, verbatim, center, paragraphs.
function blocks(s) {
  s = figures(tables(s));
  // Lists, innermost first.
  for (let guard = 0; guard < 20; guard++) {
    const before = s;
    s = s.replace(/\\begin\{(itemize|enumerate|description)\}((?:(?!\\begin\{(?:itemize|enumerate|description)\})[\s\S])*?)\\end\{\1\}/g,
      (_, env, body) => {
        const tag = LISTS[env];
        const items = body.split(/\\item\b/).slice(1);
        const html = items.map((it) => {
          let text = it.trim().replace(/\s*\n\s*\n\s*/g, ' ');
          if (tag === 'dl') {
            const m = /^\[([^\]]*)\]/.exec(text);
            const term = m ? m[1] : '';
            if (m) text = text.slice(m[0].length);
            return `<dt>${inline(term)}</dt><dd>${inline(text)}</dd>`;
          }
          return `<li>${inline(text.replace(/^\[[^\]]*\]/, ''))}</li>`;
        }).join('');
        return `\n\n<${tag}>${html.replace(/\n/g, ' ')}</${tag}>\n\n`;
      });
    if (s === before) break;
  }
  s = s.replace(/\\begin\{(center|quote|quotation|flushleft|flushright|minipage)\*?\}(?:\[[^\]]*\])?(?:\{[^}]*\})?/g, '\n\n')
    .replace(/\\end\{(center|quote|quotation|flushleft|flushright|minipage)\*?\}/g, '\n\n')
    .replace(/\\begin\{document\}|\\end\{document\}/g, '');
  // Headings become blocks of their own.
  s = s.replace(/\\(section|subsection|subsubsection|problemname|title)(\*?)\s*(?=\{)/g, '\n\n\\$1$2');
  const HEADS = /^\\(section|subsection|subsubsection|problemname|title)\*?\{/;
  const out = [];
  for (const chunk of s.split(/\n\s*\n/)) {
    let p = chunk.trim();
    if (!p) continue;
    if (/^<(ul|ol|dl|pre|figure|table)[ >]/.test(p) && /<\/(ul|ol|dl|pre|figure|table)>$/.test(p)) { out.push(p); continue; }
    const h = HEADS.exec(p);
    if (h) {
      const g = group(p, h[0].length - 1);
      out.push(inline(p.slice(0, g[1])).trim());
      p = p.slice(g[1]).trim();
      if (!p) continue;
    }
    out.push(`<p>${inline(p)}</p>`);
  }
  return out.join('\n');
}

// Placeholders, like the math ones: letters and digits only.
const VERB = (i) => `VERBPH${i}XEND`;

export function renderTex(text) {
  // Verbatim text first: nothing inside it is markup, math or a comment.
  const verbatim = [];
  const keep = (body, block) => {
    verbatim.push({ body, block });
    const ph = VERB(verbatim.length - 1);
    return block ? `\n\n${ph}\n\n` : ph;
  };
  const source = text
    .replace(/\\begin\{(verbatim|lstlisting)\}(?:\[[^\]]*\])?\n?([\s\S]*?)\\end\{\1\}/g, (_, __, body) => keep(body, true))
    // \verb|x| and \verb+x+: any delimiter, on one line.
    .replace(/\\verb\*?([^A-Za-z\s*])(.*?)\1/g, (_, __, body) => keep(body, false));
  // Drop comments (an unescaped % to the end of the line).
  const noComments = source.replace(/(^|[^\\])%.*$/gm, '$1');
  const { text: t, spans } = extractMath(noComments);
  ctx.math = spans;
  const html = blocks(escapeHtml(t))
    .replace(/<p>VERBPH(\d+)XEND<\/p>/g, (_, n) => `<pre>${escapeHtml(verbatim[Number(n)].body)}</pre>`)
    .replace(/VERBPH(\d+)XEND/g, (_, n) => {
      const v = verbatim[Number(n)];
      return v.block ? `<pre>${escapeHtml(v.body)}</pre>` : `<code>${escapeHtml(v.body)}</code>`;
    });
  return restoreMath(html, spans);
}

/// The statement's text without the title the page already shows: LaTeX's
/// `\problemname{...}` (the format makes it the problem's name, formatted),
/// or a Markdown `# heading` that reads as `title`.
export function withoutTitle(statement, title) {
  const text = statement.text;
  if (statement.format === 'tex') {
    const m = /\\problemname\s*(?=\{)/.exec(text);
    if (!m) return text;
    let depth = 0;
    for (let i = m.index + m[0].length; i < text.length; i++) {
      if (text[i] === '\\') { i++; continue; }
      if (text[i] === '{') depth++;
      if (text[i] === '}' && --depth === 0) return text.slice(0, m.index) + text.slice(i + 1).replace(/^[ \t]*\n/, '');
    }
    return text;
  }
  const norm = (t) => String(t).replace(/\s+/g, ' ').trim().toLowerCase();
  const m = /^# +(.*?)[ \t#]*$/m.exec(text);
  if (!m || norm(m[1]) !== norm(title)) return text;
  return text.slice(0, m.index) + text.slice(m.index + m[0].length).replace(/^\n/, '');
}

/// The statement as HTML. `problemId` says where its files (figures) are
/// served; without it, references to them show as missing. With `title`
/// (the page shows it as its header), the statement's own title is left
/// out, so that the title shows once.
export function renderStatement(statement, problemId = null, { title = null } = {}) {
  if (!statement || !statement.text) return '<p class="muted">This problem has no statement.</p>';
  ctx = { problemId, assets: Array.isArray(statement.assets) ? statement.assets : [], math: [] };
  const text = title == null ? statement.text : withoutTitle(statement, title);
  try {
    return statement.format === 'tex' ? renderTex(text) : renderMarkdown(text);
  } finally {
    ctx = { problemId: null, assets: [], math: [] };
  }
}
