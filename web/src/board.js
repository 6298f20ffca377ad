// The scoreboard's pure logic: rows merged by team as live changes come,
// their order, and what each cell says (tries and minutes, pending,
// first to solve; points). Rows and cells are the Contest API's
// (`scoreboard.rows[]`, `rows[].problems[]`). No DOM (tested in Node).
import { minutesOf } from './clock.js';
import { formatScore } from './format.js';

export function isPassFail(rules) { return rules === 'pass-fail'; }

/// team id -> display name, from a scoreboard view's `teams`.
export function teamNames(teams) {
  return new Map((teams ?? []).map((t) => [t.id, t.name]));
}

function nameOf(names, id) { return names?.get(id) ?? id; }

/// Rows by rank, then team name (equal ranks are ties), then team id.
export function sortRows(rows, names) {
  return [...rows].sort((a, b) => (a.rank - b.rank)
    || nameOf(names, a.team_id).localeCompare(nameOf(names, b.team_id))
    || (a.team_id < b.team_id ? -1 : a.team_id > b.team_id ? 1 : 0));
}

/// The board after a live `rows` message: each row in `changed` replaces
/// the row of its team (or joins the board), each team in `ranks` (team id
/// -> rank: its row moved, nothing else changed) takes its new rank, then
/// the board is ordered again. `rows` is not modified.
export function mergeRows(rows, changed, names, ranks) {
  const byTeam = new Map(rows.map((r) => [r.team_id, r]));
  for (const [team, rank] of Object.entries(ranks ?? {})) {
    const r = byTeam.get(team);
    if (r) byTeam.set(team, { ...r, rank });
  }
  for (const r of changed ?? []) byTeam.set(r.team_id, r);
  return sortRows([...byTeam.values()], names);
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/// A pass-fail cell: `cls` (`empty`, `solved`, `solved first`, `failed`,
/// `pending`), `tries` (judged and pending together, as the public board
/// counts them), `time` (minutes of the first correct one; `?` while one
/// is pending) and a `title` that says it in words.
export function passFailCell(p) {
  const judged = p?.num_judged ?? 0;
  const pending = p?.num_pending ?? 0;
  if (!judged && !pending) return { cls: 'empty', tries: '', time: '', title: 'not tried' };
  const tries = plural(judged + pending, 'try', 'tries');
  if (p.solved) {
    const minutes = minutesOf(p.time);
    const first = p.first_to_solve === true;
    return {
      cls: first ? 'solved first' : 'solved',
      tries,
      time: minutes == null ? '' : String(minutes),
      title: `solved at minute ${minutes ?? '?'} on ${tries.replace(/ .*/, '')}${first ? ', first to solve' : ''}`,
    };
  }
  if (pending) {
    return {
      cls: 'pending', tries, time: '?',
      title: `${judged} judged, ${pending} pending`,
    };
  }
  return { cls: 'failed', tries, time: '', title: `${plural(judged, 'try', 'tries')}, not solved` };
}

/// A score (IOI) or LeetCode cell: the points (best so far), the tries,
/// minutes of the last improvement, and `pending` while a submission is
/// not shown.
export function scoreCell(p) {
  const judged = p?.num_judged ?? 0;
  const pending = p?.num_pending ?? 0;
  if (!judged && !pending) return { cls: 'empty', points: '', tries: '', time: '', title: 'not tried' };
  const score = p.score ?? 0;
  const minutes = p.time != null ? minutesOf(p.time) : null;
  const cls = pending ? 'pending' : p.solved || score > 0 ? 'solved' : 'failed';
  return {
    cls: p.first_to_solve ? `${cls} first` : cls,
    points: pending && !judged ? '?' : formatScore(score),
    tries: plural(judged + pending, 'try', 'tries'),
    time: minutes == null ? '' : String(minutes),
    title: `${formatScore(score)} points${pending ? `, ${pending} pending` : ''}`,
  };
}

/// A row's totals: pass-fail `{ solved, penalty }` (penalty in minutes),
/// otherwise `{ points, time }` (minutes of the last improvement).
export function rowTotals(row) {
  const s = row.score ?? {};
  if ('num_solved' in s) return { solved: s.num_solved, penalty: minutesOf(s.total_time) ?? 0 };
  return { points: formatScore(s.score ?? 0), time: s.time != null ? minutesOf(s.time) : null };
}

/// The signed-in participant's state on a problem (the contest page's
/// `status`): `solved`, `pending`, `tried` or `not tried`.
export function problemState(status) {
  if (!status) return 'not tried';
  if (status.solved) return 'solved';
  if (status.num_pending) return 'pending';
  return status.num_judged ? 'tried' : 'not tried';
}
