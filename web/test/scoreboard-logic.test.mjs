// The contest pages' pure logic in Node, without a browser: the live
// board's rows merged by team (whole rows and rank-only moves) and ordered
// (rank, then team name), what a
// pass-fail cell says (tries and minutes, pending, first to solve), points
// cells, row totals, a participant's state per problem, RELTIME and the
// contest's state and countdown by the clock, and the contest routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mergeRows, passFailCell, problemState, rowTotals, scoreCell, sortRows, teamNames,
} from '../src/board.js';
import { contestState, formatCountdown, minutesOf, parseRelTime } from '../src/clock.js';

const names = teamNames([
  { id: 't1', name: 'Alpha' }, { id: 't2', name: 'Bravo' }, { id: 't3', name: 'Charlie' }, { id: 'z', name: 'Aardvark' },
]);
const row = (team_id, rank, num_solved = 0, total_time = '0:00:00', problems = []) => ({
  rank, team_id, score: { num_solved, total_time, time: null }, problems,
});

test('rows are ordered by rank, then team name (ties), then team id', () => {
  const rows = [row('t3', 2), row('t2', 1), row('t1', 2), row('unnamed', 2)];
  assert.deepEqual(sortRows(rows, names).map((r) => r.team_id), ['t2', 't1', 't3', 'unnamed']);
  // A team the board has no name for sorts by its id.
  assert.deepEqual(sortRows([row('b', 1), row('a', 1)], new Map()).map((r) => r.team_id), ['a', 'b']);
});

test('a live change replaces its team\'s row, adds a new team, and the board is ordered again', () => {
  const before = [row('t1', 1, 2), row('t2', 2, 1), row('t3', 3, 0)];
  const changed = [row('t3', 1, 3, '0:45:00'), row('t1', 2, 2), row('t2', 3, 1), row('z', 3, 1)];
  const after = mergeRows(before, changed.slice(0, 1), names);
  // Only t3 changed: its new row is there once, tied at rank 1 with t1
  // (Alpha before Charlie), the others as they were.
  assert.deepEqual(after.map((r) => [r.team_id, r.rank]), [['t1', 1], ['t3', 1], ['t2', 2]]);
  assert.equal(after.filter((r) => r.team_id === 't3').length, 1);
  assert.equal(after[1].score.num_solved, 3);
  const all = mergeRows(before, changed, names);
  assert.deepEqual(all.map((r) => r.team_id), ['t3', 't1', 'z', 't2']);
  assert.equal(before[2].rank, 3, 'the old rows are not modified');
  assert.deepEqual(mergeRows(before, undefined, names).map((r) => r.team_id), ['t1', 't2', 't3']);
});

test('a live change moves the rows in `ranks` to their new rank, keeping their results', () => {
  const before = [row('t1', 1, 2, '1:00:00'), row('t2', 2, 1, '0:30:00'), row('t3', 3, 0)];
  // t3 solves two: it passes t1 and t2, which only move (a rank each).
  const after = mergeRows(before, [row('t3', 1, 3, '0:45:00')], names, { t1: 2, t2: 3 });
  assert.deepEqual(after.map((r) => [r.team_id, r.rank]), [['t3', 1], ['t1', 2], ['t2', 3]]);
  assert.equal(after[1].score.num_solved, 2, 'a moved row keeps its results');
  assert.equal(after[1].score.total_time, '1:00:00');
  assert.equal(before[0].rank, 1, 'the old rows are not modified');
  // A rank for a team the board lacks adds nothing (a `board` brings it).
  assert.deepEqual(mergeRows(before, [], names, { nobody: 1 }).map((r) => r.team_id), ['t1', 't2', 't3']);
  // Ranks alone reorder the board.
  assert.deepEqual(mergeRows(before, undefined, names, { t2: 1, t1: 2 }).map((r) => r.team_id), ['t2', 't1', 't3']);
});

test('a pass-fail cell: tries and minutes (rounded down), first to solve, failed, not tried', () => {
  assert.deepEqual(passFailCell({ problem_id: 'a', num_judged: 1, num_pending: 0, solved: true, time: '0:23:59.900' }),
    { cls: 'solved', tries: '1 try', time: '23', title: 'solved at minute 23 on 1' });
  const first = passFailCell({ problem_id: 'a', num_judged: 3, num_pending: 0, solved: true, time: '1:02:00', first_to_solve: true });
  assert.equal(first.cls, 'solved first');
  assert.equal(first.tries, '3 tries');
  assert.equal(first.time, '62');
  assert.match(first.title, /first to solve/);
  assert.deepEqual(passFailCell({ problem_id: 'a', num_judged: 2, num_pending: 0, solved: false }),
    { cls: 'failed', tries: '2 tries', time: '', title: '2 tries, not solved' });
  assert.equal(passFailCell({ problem_id: 'a', num_judged: 0, num_pending: 0, solved: false }).cls, 'empty');
  assert.equal(passFailCell(undefined).cls, 'empty', 'a team with no cell for the problem');
});

test('a pending cell (judging, or hidden by the freeze) counts its tries and hides the outcome', () => {
  // Frozen: one judged wrong before the freeze, two after it.
  assert.deepEqual(passFailCell({ problem_id: 'a', num_judged: 1, num_pending: 2, solved: false }),
    { cls: 'pending', tries: '3 tries', time: '?', title: '1 judged, 2 pending' });
  assert.deepEqual(passFailCell({ problem_id: 'a', num_judged: 0, num_pending: 1, solved: false }),
    { cls: 'pending', tries: '1 try', time: '?', title: '0 judged, 1 pending' });
  // Solved before the freeze stays solved, whatever came after.
  assert.equal(passFailCell({ problem_id: 'a', num_judged: 1, num_pending: 1, solved: true, time: '0:10:00' }).cls, 'solved');
});

test('points cells (LeetCode, IOI) and row totals', () => {
  assert.deepEqual(scoreCell({ problem_id: 'a', num_judged: 2, num_pending: 0, score: 37.5, time: '0:41:10' }),
    { cls: 'solved', points: '37.5', tries: '2 tries', time: '41', title: '37.5 points' });
  assert.equal(scoreCell({ problem_id: 'a', num_judged: 1, num_pending: 0, score: 0 }).cls, 'failed');
  assert.deepEqual(scoreCell({ problem_id: 'a', num_judged: 0, num_pending: 1, score: 0 }),
    { cls: 'pending', points: '?', tries: '1 try', time: '', title: '0 points, 1 pending' });
  assert.equal(scoreCell({ problem_id: 'a', num_judged: 0, num_pending: 0 }).cls, 'empty');
  assert.deepEqual(rowTotals(row('t1', 1, 2, '1:20:30')), { solved: 2, penalty: 80 });
  assert.deepEqual(rowTotals({ rank: 1, team_id: 't', score: { score: 150, time: '0:30:00' }, problems: [] }), { points: '150', time: 30 });
  assert.deepEqual(rowTotals({ rank: 1, team_id: 't', score: { score: 0, time: null }, problems: [] }), { points: '0', time: null });
});

test("a participant's state on a problem", () => {
  assert.equal(problemState({ num_judged: 2, num_pending: 0, solved: true }), 'solved');
  assert.equal(problemState({ num_judged: 1, num_pending: 0, solved: false }), 'tried');
  assert.equal(problemState({ num_judged: 1, num_pending: 1, solved: false }), 'pending');
  assert.equal(problemState({ num_judged: 0, num_pending: 0, solved: false }), 'not tried');
  assert.equal(problemState(undefined), 'not tried');
});

test('RELTIME, minutes and countdowns', () => {
  assert.equal(parseRelTime('1:02:03.5'), 3723500);
  assert.equal(parseRelTime('-0:00:05'), -5000);
  assert.equal(parseRelTime('5:00'), null);
  assert.equal(minutesOf('0:19:59.999'), 19);
  assert.equal(minutesOf(null), null);
  assert.equal(formatCountdown(65_000), '1:05');
  assert.equal(formatCountdown(3_723_000), '1:02:03');
  assert.equal(formatCountdown(2 * 86_400_000 + 3_723_000), '2d 01:02:03');
  assert.equal(formatCountdown(-5), '0:00');
});

test("a contest's state by the clock: upcoming with a countdown, running, frozen, ended", () => {
  const start = Date.parse('2030-01-01T10:00:00Z');
  const c = { start_time: '2030-01-01T10:00:00Z', end_time: '2030-01-01T15:00:00Z', phase: 'scheduled', frozen: false };
  assert.deepEqual(contestState(c, start - 90_000), { state: 'upcoming', countdown: { label: 'starts in', ms: 90_000 } });
  // The clock passes the start before the page reads the contest again.
  assert.deepEqual(contestState(c, start + 1000), { state: 'running', countdown: { label: 'ends in', ms: 5 * 3_600_000 - 1000 } });
  assert.equal(contestState({ ...c, phase: 'running', frozen: true }, start + 1000).state, 'frozen');
  assert.deepEqual(contestState({ ...c, phase: 'running' }, start + 6 * 3_600_000), { state: 'ended', countdown: null });
  assert.equal(contestState({ ...c, phase: 'finalized' }, start).state, 'final');
  assert.deepEqual(contestState({ ...c, start_time: null, end_time: null }, start), { state: 'upcoming', countdown: null });
});
