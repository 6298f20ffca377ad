// The page's pure logic in Node, without a browser: how a failing case's
// first difference is marked, what a queued submission says, how a
// function Run's output is split, and that the submitter's texts are
// escaped. (The browser tests check the same things as a user sees them.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detailHtml, highlightDifference, queueText } from '../src/result.js';
import { splitReturned } from '../src/run.js';

test('the first difference marks the differing token, or where the output ends', () => {
  assert.equal(highlightDifference('7\n16\n0\n', { line: 2, column: 1 }),
    '7\n<mark class="diff" title="first difference: line 2, column 1">16</mark>\n0\n');
  assert.match(highlightDifference('[0,1]', { line: 1, column: 2 }), /^\[<mark [^>]*>0,1\]<\/mark>$/);
  // Columns count characters: "é" is one.
  assert.match(highlightDifference('é x', { line: 1, column: 3 }), /^é <mark [^>]*>x<\/mark>$/);
  // Ended early: a marker at the end.
  assert.match(highlightDifference('1 2\n', { line: 2, column: 1 }), /^1 2\n<mark class="diff missing"/);
  assert.match(highlightDifference('', { line: 1, column: 1 }), /diff missing/);
  assert.equal(highlightDifference('a<b', null), 'a&lt;b');
});

test('a queued submission says how many are ahead of it', () => {
  assert.equal(queueText({ queue_position: 3 }), 'In queue: 3 ahead of you');
  assert.equal(queueText({ queue_position: 0 }), 'In queue: next to be judged');
  assert.equal(queueText({}), 'In queue…');
});

test("a function Run's output: the user's stdout, then the returned value", () => {
  assert.deepEqual(splitReturned('trying 3\nreturned: [0,1]\n'), { printed: 'trying 3', returned: '[0,1]' });
  assert.deepEqual(splitReturned('returned: 7\n'), { printed: '', returned: '7' });
  assert.deepEqual(splitReturned('(the program ended before the function returned)\n'),
    { printed: '(the program ended before the function returned)\n', returned: null });
});

test("a failing case's texts are escaped, and a function's stdout is shown apart", () => {
  const html = detailHtml({
    index: 2, name: 'sample/2', verdict: 'WA',
    detail: { input: '<b>', expected: '1', received: '<script>x</script>', stderr: '', stdout: 'hi', truncated: false,
      first_difference: { line: 1, column: 1 } },
  });
  assert.doesNotMatch(html, /<script>|<b>/);
  assert.match(html, /&lt;script&gt;/);
  assert.match(html, /Your function returned/);
  assert.match(html, /class="d-stdout">hi</);
  assert.match(html, /line 1, column 1/);
  // A stdin problem's detail has no stdout of its own, and no detail no section.
  assert.doesNotMatch(detailHtml({ index: 1, name: 's', verdict: 'WA',
    detail: { input: '', expected: '1', received: '2', stderr: '', truncated: false } }), /d-stdout/);
  assert.equal(detailHtml({ index: 1, name: 's', verdict: 'WA' }), '');
});
