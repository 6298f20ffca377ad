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
// Statements come from problem packages; still, raw HTML is shown as text.
marked.use({
  renderer: {
    html(token) {
      return escapeHtml(token.text ?? token.raw ?? '');
    },
  },
});

export function renderMarkdown(text) {
  const { text: md, spans } = extractMath(text);
  const html = marked.parse(md.replace(/\\\$/g, '&#36;'));
  return restoreMath(html, spans);
}

// ---- LaTeX ----

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

const SYMBOLS = {
  '\\ldots': '…', '\\dots': '…', '\\cdots': '⋯', '\\LaTeX': 'LaTeX', '\\TeX': 'TeX',
  '\\textbackslash': '\\', '\\quad': '\u2003', '\\qquad': '\u2003\u2003', '\\noindent': '',
  '\\medskip': '', '\\bigskip': '', '\\smallskip': '', '\\centering': '', '\\newline': '<br>',
  '\\clearpage': '', '\\newpage': '', '\\par': '\n\n', '\\hfill': '', '\\today': '',
  '\\%': '%', '\\&amp;': '&amp;', '\\#': '#', '\\_': '_', '\\{': '{', '\\}': '}', '\\$': '$',
  '\\,': '\u2009', '\\ ': ' ', '\\-': '', '\\@': '',
};

const INLINE = {
  textbf: ['<strong>', '</strong>'], bf: ['<strong>', '</strong>'],
  textit: ['<em>', '</em>'], emph: ['<em>', '</em>'], textsl: ['<em>', '</em>'], it: ['<em>', '</em>'],
  texttt: ['<code>', '</code>'], verb: ['<code>', '</code>'], textsc: ['<span class="sc">', '</span>'],
  underline: ['<u>', '</u>'], textrm: ['', ''], textsf: ['', ''], mbox: ['', ''], text: ['', ''],
  section: ['\n\n<h3>', '</h3>\n\n'], 'section*': ['\n\n<h3>', '</h3>\n\n'],
  subsection: ['\n\n<h4>', '</h4>\n\n'], 'subsection*': ['\n\n<h4>', '</h4>\n\n'],
  subsubsection: ['\n\n<h5>', '</h5>\n\n'], 'subsubsection*': ['\n\n<h5>', '</h5>\n\n'],
  paragraph: ['\n\n<strong>', '</strong> '], problemname: ['\n\n<h2>', '</h2>\n\n'],
  title: ['\n\n<h2>', '</h2>\n\n'], footnote: [' <small>(', ')</small>'],
};
const DROP_ARG = new Set(['label', 'illustration', 'includegraphics', 'vspace', 'hspace', 'vspace*', 'hspace*', 'input', 'documentclass', 'usepackage', 'ref', 'cite', 'caption']);

/// Converts inline commands (recursively) on already-escaped text.
function inline(s) {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') {
      if (s[i + 1] === '\\') { out += '<br>'; i += 2; continue; }
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
      // Optional [..] argument: skip.
      if (s[j] === '[') { const e = s.indexOf(']', j); if (e > 0) j = e + 1; }
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
    out += c;
    i++;
  }
  return out;
}

const LISTS = { itemize: 'ul', enumerate: 'ol', description: 'dl' };

/// Converts block structure: lists, verbatim, center, paragraphs.
function blocks(s) {
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
        return `\n\n<${tag}>${html}</${tag}>\n\n`;
      });
    if (s === before) break;
  }
  s = s.replace(/\\begin\{(center|quote|quotation|flushleft|flushright|minipage|figure|table)\*?\}(?:\[[^\]]*\])?(?:\{[^}]*\})?/g, '\n\n')
    .replace(/\\end\{(center|quote|quotation|flushleft|flushright|minipage|figure|table)\*?\}/g, '\n\n')
    .replace(/\\begin\{document\}|\\end\{document\}/g, '');
  // Headings become blocks of their own.
  s = s.replace(/\\(section|subsection|subsubsection|problemname|title)(\*?)\s*(?=\{)/g, '\n\n\\$1$2');
  const HEADS = /^\\(section|subsection|subsubsection|problemname|title)\*?\{/;
  const out = [];
  for (const chunk of s.split(/\n\s*\n/)) {
    let p = chunk.trim();
    if (!p) continue;
    if (/^<(ul|ol|dl|pre)>/.test(p)) { out.push(p); continue; }
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

export function renderTex(text) {
  // Verbatim blocks first: nothing inside them is markup.
  const verbatim = [];
  const source = text.replace(/\\begin\{(verbatim|lstlisting)\}(?:\[[^\]]*\])?\n?([\s\S]*?)\\end\{\1\}/g,
    (_, __, body) => {
      verbatim.push(body);
      return `\n\nVERBPH${verbatim.length - 1}XEND\n\n`;
    });
  // Drop comments (an unescaped % to the end of the line).
  const noComments = source.replace(/(^|[^\\])%.*$/gm, '$1');
  const { text: t, spans } = extractMath(noComments);
  const html = blocks(escapeHtml(t))
    .replace(/<p>VERBPH(\d+)XEND<\/p>/g, (_, n) => `<pre>${escapeHtml(verbatim[Number(n)])}</pre>`);
  return restoreMath(html, spans);
}

export function renderStatement(statement) {
  if (!statement || !statement.text) return '<p class="muted">This problem has no statement.</p>';
  return statement.format === 'tex' ? renderTex(statement.text) : renderMarkdown(statement.text);
}
