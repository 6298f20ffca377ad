// The statement renderer's logic in Node, without a browser: the problem's
// title shows once (the page's header, not again from the statement's
// \problemname or Markdown heading), a PDF figure that the API rendered at
// import shows as that PNG with the PDF to download, and a caption's math
// stays in the figure's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderStatement, resolveAsset, withoutTitle } from '../../web/src/statement.js';

test('the title shows once: the statement leaves out its own when the page shows it', () => {
  const tex = { format: 'tex', text: '\\problemname{Sum of $k$ {Lists}}\nAdd them up.\n\\section*{Input}\nA list.\n', assets: [] };
  assert.equal(withoutTitle(tex, 'Sum of k Lists'), 'Add them up.\n\\section*{Input}\nA list.\n');
  const shown = renderStatement(tex, 'sum', { title: 'Sum of k Lists' });
  assert.doesNotMatch(shown, /<h2>/);
  assert.match(shown, /Add them up\./);
  assert.match(shown, /<h3>Input<\/h3>/);
  // Without a page header (no title given) the statement keeps its heading.
  assert.match(renderStatement(tex, 'sum'), /<h2>Sum of/);

  const md = { format: 'md', text: '# The Tallest Tower\n\nFind the tallest.\n\n## Input\n', assets: [] };
  const page = renderStatement(md, 'tower', { title: 'The  tallest tower' });
  assert.doesNotMatch(page, /<h1>/);
  assert.match(page, /<h2>Input<\/h2>/);
  // A heading that is not the title stays.
  assert.match(renderStatement(md, 'tower', { title: 'Towers' }), /<h1>The Tallest Tower<\/h1>/);
});

test('a PDF figure rendered at import shows as its PNG, the PDF to download, math kept', () => {
  const assets = ['fig/graph.pdf', 'fig/graph.pdf.png', 'other.pdf'];
  const hit = resolveAsset('fig/graph', { problemId: 'graph', assets });
  assert.deepEqual(hit, {
    url: '/api/problems/graph/statement/fig%2Fgraph.pdf',
    name: 'fig/graph.pdf',
    image: false,
    rendered: '/api/problems/graph/statement/fig%2Fgraph.pdf.png',
  });
  const tex = {
    format: 'tex',
    text: '\\begin{figure}\\includegraphics[width=0.5\\textwidth]{fig/graph.pdf}\\caption{The graph for $n = 5$}\\end{figure}\n'
      + '\\begin{figure}\\includegraphics{other}\\caption{Not rendered, $m < 3$}\\end{figure}\n',
    assets,
  };
  const html = renderStatement(tex, 'graph', { title: 'Graph' });
  // The rendering, with the caption (and its math, as TeX) as its text.
  assert.match(html, /<img src="\/api\/problems\/graph\/statement\/fig%2Fgraph\.pdf\.png" alt="The graph for n = 5" data-file="fig\/graph\.pdf" style="max-width:100%;width:50%">/);
  assert.match(html, /<a class="figure-pdf" href="\/api\/problems\/graph\/statement\/fig%2Fgraph\.pdf"[^>]* download[^>]*>PDF<\/a>/);
  // The caption below renders its math.
  assert.match(html, /<figcaption[^>]*>The graph for <span class="katex">/);
  // A PDF without a rendering stays a link, its math rendered in the link's text.
  assert.match(html, /<a href="\/api\/problems\/graph\/statement\/other\.pdf" target="_blank" rel="noopener">Not rendered, <span class="katex">[\s\S]*?<\/a>/);
  assert.doesNotMatch(html, /MATHPH/);

  // Markdown: the same.
  const md = { format: 'md', text: '![The graph for $n = 5$](fig/graph.pdf)\n', assets };
  assert.match(renderStatement(md, 'graph'), /<img src="[^"]*fig%2Fgraph\.pdf\.png" alt="The graph for n = 5"/);
});
