//! Part 6: a contest's board. A synthesized contest (deterministic seed) of
//! 1,000 teams x 12 problems x 20,000 verdicts, pass-fail, 2 h into its
//! 5 h:
//!
//! (a) the board's update cost per verdict: `Replay::apply` of each
//!     judgement entry, in this process, after the submissions before it;
//!     beside it, what a gateway adds per change (rendering the admin and
//!     public rows and finding the changed ones, O(teams)), and the length
//!     of the public `rows` message (whole rows for changed results, a rank
//!     for rows that only moved) against sending every changed row whole;
//! (b) `GET /api/contests/{id}/scoreboard` against the API as its own
//!     release process, on a Redis holding that log;
//! (c) the time from a verdict appended to the log to N WebSocket viewers on
//!     two gateway processes receiving the `rows` message it causes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use contest::board::ViewKind;
use contest::replay::{LogEntry, Replay};
use contest::{AbsTime, RelTime};
use futures_util::StreamExt;
use judge_store::contest::log::{self, Append};
use judge_store::contest::registry;
use judge_store::keys;
use serde_json::{json, Value};
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::Message;
use ws_gateway::contest_view::{changed, rows_message, Changes, Rendered};

use crate::common::*;

const CONTEST: &str = "bench-contest";
const SEED: u64 = 0x1c9c_2026;
const VERDICT_TYPES: [(&str, u64); 5] =
    [("AC", 25), ("WA", 40), ("TLE", 15), ("RTE", 10), ("CE", 10)];

/// The sizes of the synthesized contest.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    pub teams: usize,
    pub problems: usize,
    pub verdicts: usize,
    pub viewers: usize,
    /// Verdicts appended live in (c), one at a time.
    pub live: usize,
}

/// splitmix64: a small deterministic generator (no dependency).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One object of the log, as a log entry (for the in-process replay) and
/// as what is appended to Redis.
struct Obj {
    kind: &'static str,
    id: String,
    data: Value,
}

impl Obj {
    fn entry(&self, n: usize) -> LogEntry {
        LogEntry {
            token: format!("1-{n}"),
            kind: self.kind.into(),
            id: self.id.clone(),
            data: Some(self.data.clone()),
        }
    }
    fn append(&self) -> Append {
        Append::new(self.kind, &self.id, &self.data)
    }
}

struct Synth {
    config: Vec<Obj>,
    /// (submission, judgement) per verdict, in time order.
    verdicts: Vec<(Obj, Obj)>,
    /// Submissions left pending, judged live in (c).
    pending: Vec<Obj>,
    start: AbsTime,
}

fn submission(id: &str, team: &str, problem: &str, start: AbsTime, ms: i64) -> Obj {
    let t = start + RelTime::from_millis(ms);
    Obj {
        kind: "submissions",
        id: id.into(),
        data: json!({"id": id, "language_id": "cpp", "problem_id": problem, "team_id": team,
                     "time": t, "contest_time": RelTime::from_millis(ms), "files": []}),
    }
}

fn judgement(sid: &str, verdict: &str, start: AbsTime, ms: i64) -> Obj {
    let t = start + RelTime::from_millis(ms);
    let ct = RelTime::from_millis(ms);
    let id = format!("j-{sid}");
    Obj {
        kind: "judgements",
        id: id.clone(),
        data: json!({"id": id, "submission_id": sid, "judgement_type_id": verdict,
                     "start_time": t, "start_contest_time": ct, "end_time": t, "end_contest_time": ct}),
    }
}

fn team_id(n: usize) -> String {
    format!("team-{n:04}")
}

fn problem_id(n: usize) -> String {
    format!("p{:02}", n + 1)
}

/// The contest started 2 h ago (5 h long, frozen for its last hour, so
/// not yet); the verdicts are spread over those 2 h.
fn synth(size: Size) -> Synth {
    let now = AbsTime::now().unix_millis();
    let start = AbsTime::from_unix_millis(now - 2 * 3_600_000).expect("a valid time");
    let mut config = vec![Obj {
        kind: "contest",
        id: CONTEST.into(),
        data: json!({"id": CONTEST, "name": "Bench contest", "start_time": start,
                     "duration": "5:00:00", "scoreboard_freeze_duration": "1:00:00",
                     "scoreboard_type": "pass-fail", "penalty_time": "0:20:00"}),
    }];
    for p in 0..size.problems {
        let label = ((b'A' + p as u8) as char).to_string();
        config.push(Obj {
            kind: "problems",
            id: problem_id(p),
            data: json!({"id": problem_id(p), "label": label, "name": format!("Problem {label}"),
                         "ordinal": p + 1}),
        });
    }
    for t in 0..size.teams {
        config.push(Obj {
            kind: "teams",
            id: team_id(t),
            data: json!({"id": team_id(t), "name": format!("Team {t:04}")}),
        });
    }
    let mut rng = Rng(SEED);
    let span = 2 * 3_600_000 - 60_000;
    let total: u64 = VERDICT_TYPES.iter().map(|v| v.1).sum();
    let verdicts: Vec<(Obj, Obj)> = (0..size.verdicts)
        .map(|i| {
            let sid = format!("s{i:05}");
            let (team, problem) = (
                team_id(rng.below(size.teams)),
                problem_id(rng.below(size.problems)),
            );
            let ms = (i as i64 * span) / size.verdicts as i64;
            let mut pick = rng.next() % total;
            let verdict = VERDICT_TYPES
                .iter()
                .find(|(_, w)| {
                    let hit = pick < *w;
                    pick = pick.saturating_sub(*w);
                    hit
                })
                .map(|v| v.0)
                .unwrap_or("WA");
            (
                submission(&sid, &team, &problem, start, ms),
                judgement(&sid, verdict, start, ms + 5_000),
            )
        })
        .collect();
    // The live verdicts are for cells not solved yet (a try after the
    // solve changes no row, so no viewer would be sent anything).
    let solved: std::collections::HashSet<(String, String)> = verdicts
        .iter()
        .filter(|(_, j)| j.data["judgement_type_id"] == "AC")
        .map(|(s, _)| {
            let team = s.data["team_id"].as_str().unwrap_or_default().to_string();
            let problem = s.data["problem_id"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            (team, problem)
        })
        .collect();
    let mut pending = Vec::new();
    while pending.len() < size.live {
        let team = team_id(rng.below(size.teams));
        let problem = problem_id(rng.below(size.problems));
        if solved.contains(&(team.clone(), problem.clone())) {
            continue;
        }
        let i = pending.len() as i64;
        let id = format!("live{i:04}");
        pending.push(submission(&id, &team, &problem, start, span + i));
    }
    Synth {
        config,
        verdicts,
        pending,
        start,
    }
}

pub async fn contest(size: Size) -> Result<Vec<Row>> {
    let data = synth(size);
    let mut rows = replay_cost(&data, size);
    let s = Services::start(true, true, 0).await?;
    let mut conn = judge_store::store::dedicated(&s.redis.url()).await?;
    let load_started = Instant::now();
    let mut appends: Vec<Append> = data.config.iter().map(Obj::append).collect();
    for (sub, judge) in &data.verdicts {
        appends.push(sub.append());
        appends.push(judge.append());
    }
    appends.extend(data.pending.iter().map(Obj::append));
    for chunk in appends.chunks(500) {
        log::append_all(&mut conn, CONTEST, chunk).await?;
    }
    registry::add_contest(&mut conn, CONTEST).await?;
    let entries = appends.len();
    eprintln!(
        "contest log: {entries} entries written in {:.1} s",
        load_started.elapsed().as_secs_f64()
    );
    rows.extend(scoreboard_latency(&s, size).await?);
    rows.extend(viewers(&s, &mut conn, &data, size).await?);
    Ok(rows)
}

/// (a): `Replay::apply` per verdict, and a gateway's render + diff.
fn replay_cost(data: &Synth, size: Size) -> Vec<Row> {
    let mut r = Replay::new();
    let mut n = 0;
    for o in &data.config {
        n += 1;
        r.apply(&o.entry(n));
    }
    let now = AbsTime::now();
    // Build the board once (it is built lazily on the first read).
    r.board(now).expect("the board builds");
    let mut judge_us = Vec::with_capacity(data.verdicts.len());
    let mut submit_us = Vec::with_capacity(data.verdicts.len());
    let mut render_us = Vec::new();
    let mut rendered = Rendered::new(&mut r, now);
    let (mut admin, mut public) = (rendered.admin().to_vec(), rendered.public().to_vec());
    let mut changed_rows = Vec::new();
    let (mut whole_rows, mut rank_only) = (Vec::new(), Vec::new());
    let (mut msg_bytes, mut all_whole_bytes) = (Vec::new(), Vec::new());
    let every = (data.verdicts.len() / 2000).max(1);
    for (i, (sub, judge)) in data.verdicts.iter().enumerate() {
        let (se, je) = (sub.entry(n + 1), judge.entry(n + 2));
        n += 2;
        let t = Instant::now();
        r.apply(&se);
        submit_us.push(t.elapsed().as_secs_f64() * 1e6);
        let t = Instant::now();
        r.apply(&je);
        judge_us.push(t.elapsed().as_secs_f64() * 1e6);
        if i % every == 0 {
            let t = Instant::now();
            rendered = Rendered::new(&mut r, now);
            let a = changed(&admin, rendered.admin());
            let p = changed(&public, rendered.public());
            render_us.push(t.elapsed().as_secs_f64() * 1e6);
            let moved = |c: &Changes| (c.rows.len() + c.ranks.len()) as f64;
            changed_rows.push((moved(&a) + moved(&p)) / 2.0);
            whole_rows.push(p.rows.len() as f64);
            rank_only.push(p.ranks.len() as f64);
            let ct = RelTime::from_millis(3_600_000);
            msg_bytes.push(rows_message("1-1", ct, &p).len() as f64);
            // The same change with every changed row whole (the format before `ranks`).
            let by_team: HashMap<&str, _> = rendered
                .public()
                .iter()
                .map(|r| (r.team_id.as_str(), r))
                .collect();
            let mut whole = Changes {
                rows: p.rows.clone(),
                ranks: Vec::new(),
            };
            whole.rows.extend(
                p.ranks
                    .iter()
                    .filter_map(|(t, _)| by_team.get(t.as_str()).map(|r| (*r).clone())),
            );
            all_whole_bytes.push(rows_message("1-1", ct, &whole).len() as f64);
            admin = rendered.admin().to_vec();
            public = rendered.public().to_vec();
        }
    }
    // The incremental board equals a replay from scratch.
    let mut fresh = Replay::new();
    let mut m = 0;
    for o in &data.config {
        m += 1;
        fresh.apply(&o.entry(m));
    }
    for (sub, judge) in &data.verdicts {
        fresh.apply(&sub.entry(m + 1));
        fresh.apply(&judge.entry(m + 2));
        m += 2;
    }
    let t = Instant::now();
    let same = fresh.board(now).map(|b| b.rows(ViewKind::Admin))
        == r.board(now).map(|b| b.rows(ViewKind::Admin));
    let rebuild_ms = t.elapsed().as_secs_f64() * 1e3;
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let stats = |v: &[f64]| {
        format!(
            "{:.1} / {:.1} µs, mean {:.1}",
            median(v),
            percentile(v, 99.0),
            mean(v)
        )
    };
    let part = "6 contest";
    vec![
        row(
            part,
            &format!(
                "(a) board update per verdict: Replay::apply of a judgement, p50 / p99 ({} teams × {} problems, {} verdicts)",
                size.teams, size.problems, size.verdicts
            ),
            stats(&judge_us),
            format!("submission entry: {}", stats(&submit_us)),
            "-".into(),
            &format!(
                "in process, one thread; includes parsing the entry's JSON; equals a full replay: {same} (full rebuild of the board {rebuild_ms:.0} ms)"
            ),
        ),
        row(
            part,
            "(a) a gateway's render + diff per change (admin and public rows), p50 / p99",
            format!(
                "{:.0} / {:.0} µs",
                median(&render_us),
                percentile(&render_us, 99.0)
            ),
            format!("{:.1} rows changed per view (mean)", mean(&changed_rows)),
            "-".into(),
            &format!(
                "O(teams): every {every}th verdict, {} samples; once per change per gateway, not per viewer",
                render_us.len()
            ),
        ),
        row(
            part,
            "(a) the public `rows` message of a sample's change: length, mean / p99",
            format!(
                "{:.0} / {:.0} B",
                mean(&msg_bytes),
                percentile(&msg_bytes, 99.0)
            ),
            format!(
                "every changed row whole: {:.0} / {:.0} B",
                mean(&all_whole_bytes),
                percentile(&all_whole_bytes, 99.0)
            ),
            format!("{:.1}×", mean(&all_whole_bytes) / mean(&msg_bytes).max(1.0)),
            &format!(
                "a sample is {every} verdicts' changes together (as in the render + diff row): {:.1} rows whole (results changed) + {:.1} ranks (rows that only moved), mean",
                mean(&whole_rows),
                mean(&rank_only)
            ),
        ),
    ]
}

/// (b): the scoreboard route's latency.
async fn scoreboard_latency(s: &Services, size: Size) -> Result<Vec<Row>> {
    let client = reqwest::Client::new();
    let url = format!("{}/api/contests/{CONTEST}/scoreboard", s.api_url);
    let t = Instant::now();
    let first = client.get(&url).send().await?;
    if !first.status().is_success() {
        bail!("GET scoreboard: {}", first.status());
    }
    let body = first.bytes().await?;
    let cold_ms = t.elapsed().as_secs_f64() * 1e3;
    let v: Value = serde_json::from_slice(&body)?;
    let n_rows = v["scoreboard"]["rows"].as_array().map_or(0, Vec::len);
    if n_rows != size.teams {
        bail!("the scoreboard has {n_rows} rows, not {}", size.teams);
    }
    let mut ms = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    for _ in 0..300 {
        if Instant::now() > deadline {
            break;
        }
        let t = Instant::now();
        let r = client.get(&url).send().await?;
        let _ = r.bytes().await?;
        ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    // Four at a time.
    let concurrent: Arc<Mutex<Vec<f64>>> = Arc::default();
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let (client, url, out) = (client.clone(), url.clone(), concurrent.clone());
            tokio::spawn(async move {
                for _ in 0..50 {
                    let t = Instant::now();
                    if let Ok(r) = client.get(&url).send().await {
                        let _ = r.bytes().await;
                        out.lock().unwrap().push(t.elapsed().as_secs_f64() * 1e3);
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        let _ = t.await;
    }
    let concurrent = concurrent.lock().unwrap().clone();
    let part = "6 contest";
    Ok(vec![
        row(
            part,
            &format!("(b) GET /api/contests/{{id}}/scoreboard p50 / p99, {} teams, one at a time", size.teams),
            format!("{:.1} / {:.1} ms", median(&ms), percentile(&ms, 99.0)),
            format!(
                "4 at a time: {:.1} / {:.1} ms",
                median(&concurrent),
                percentile(&concurrent, 99.0)
            ),
            "-".into(),
            &format!(
                "{} requests, {} KiB each; API as its own release process; the first read (catch-up of the whole log) {cold_ms:.0} ms",
                ms.len(),
                body.len() / 1024
            ),
        ),
    ])
}

/// Appends one entry (and its snapshot field) and returns its token.
async fn append_one(conn: &mut redis::aio::MultiplexedConnection, a: &Append) -> Result<String> {
    let data = a.data.as_deref().unwrap_or("");
    let mut pipe = redis::pipe();
    pipe.atomic()
        .cmd("XADD")
        .arg(keys::contest_log(CONTEST))
        .arg("*")
        .arg("type")
        .arg(&a.kind)
        .arg("id")
        .arg(&a.id)
        .arg("data")
        .arg(data)
        .cmd("HSET")
        .arg(keys::contest_snapshot(CONTEST))
        .arg(format!("{}/{}", a.kind, a.id))
        .arg(data)
        .ignore();
    let (token,): (String,) = pipe.query_async(conn).await?;
    Ok(token)
}

/// What one viewer read: log token -> when (ns since the run's base) and
/// the message's length.
type Seen = HashMap<String, (u64, usize)>;

/// (c): verdict appended -> `rows` read by each of N viewers on two gateways.
async fn viewers(
    s: &Services,
    conn: &mut redis::aio::MultiplexedConnection,
    data: &Synth,
    size: Size,
) -> Result<Vec<Row>> {
    // A second gateway beside the one `Services` started.
    let addr_b = format!("127.0.0.1:{}", testkit::redis_server::free_port());
    let url = s.redis.url();
    let gw_b = Proc::spawn(
        "ws-gateway",
        &strings(&["--redis-url", &url, "--addr", &addr_b, "--auth", "open"]),
        s.dir.path(),
    )?;
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(&addr_b).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let urls = [s.gateway_url.clone(), format!("ws://{addr_b}")];
    let gw_a = s.gateway.as_ref().context("gateway A")?;
    let rss_before = (gw_a.rss_kb(), gw_b.rss_kb());

    let base = Instant::now();
    // token -> receive times (ns since base), per viewer.
    // None: the viewer never connected.
    let received: Arc<Mutex<Vec<Option<Seen>>>> = Arc::new(Mutex::new(vec![None; size.viewers]));
    let ready = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let board_bytes = Arc::new(AtomicUsize::new(0));
    let stop = tokio_util::sync::CancellationToken::new();
    let connecting = Arc::new(Semaphore::new(64));
    let connect_started = Instant::now();
    let mut tasks = Vec::with_capacity(size.viewers);
    for n in 0..size.viewers {
        let url = format!("{}/ws/contests/{CONTEST}", urls[n % 2]);
        let (received, ready, failed, connecting, stop, board_bytes) = (
            received.clone(),
            ready.clone(),
            failed.clone(),
            connecting.clone(),
            stop.clone(),
            board_bytes.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let permit = connecting.acquire_owned().await.unwrap();
            let connected = connect_viewer(&url, Duration::from_secs(60)).await;
            drop(permit);
            let Some((mut ws, board)) = connected else {
                failed.fetch_add(1, Ordering::Relaxed);
                return;
            };
            board_bytes.store(board, Ordering::Relaxed);
            ready.fetch_add(1, Ordering::Relaxed);
            let mut mine: Seen = HashMap::new();
            loop {
                tokio::select! {
                    _ = stop.cancelled() => break,
                    m = ws.next() => match m {
                        Some(Ok(Message::Text(t))) => {
                            let at = base.elapsed().as_nanos() as u64;
                            // Only the token is needed: it is near the start.
                            if let Some(token) = token_of(&t) {
                                mine.entry(token).or_insert((at, t.len()));
                            }
                        }
                        Some(Ok(_)) => {}
                        _ => break,
                    }
                }
            }
            received.lock().unwrap()[n] = Some(mine);
            let _ = tokio::time::timeout(Duration::from_secs(2), ws.close(None)).await;
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(600);
    while ready.load(Ordering::Relaxed) + failed.load(Ordering::Relaxed) < size.viewers {
        if Instant::now() > deadline {
            stop.cancel();
            bail!("viewers neither connected nor failed within 600 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let connect_secs = connect_started.elapsed().as_secs_f64();
    let connected = ready.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_after = (gw_a.rss_kb(), gw_b.rss_kb());

    // Judge the pending submissions one at a time, 250 ms apart.
    let mut sent: HashMap<String, u64> = HashMap::new();
    let mut rng = Rng(SEED ^ 0xfeed);
    for sub in &data.pending {
        let verdict = if rng.below(3) == 0 { "AC" } else { "WA" };
        let j = judgement(&sub.id, verdict, data.start, 2 * 3_600_000);
        let at = base.elapsed().as_nanos() as u64;
        let token = append_one(conn, &j.append()).await?;
        sent.insert(token, at);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.cancel();
    for t in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(10), t).await;
    }
    let received = std::mem::take(&mut *received.lock().unwrap());
    if std::env::var_os("BENCH_DEBUG").is_some() {
        eprintln!("sent: {:?}", sent);
        eprintln!("viewer 0: {:?}", received.first());
    }
    let mut latencies = Vec::new();
    let mut lengths = Vec::new();
    let mut missing = 0usize;
    for mine in received.iter().flatten() {
        for (token, at) in &sent {
            match mine.get(token) {
                Some((r, len)) => {
                    latencies.push(r.saturating_sub(*at) as f64 / 1e6);
                    lengths.push(*len as f64);
                }
                None => missing += 1,
            }
        }
    }
    let mean_len = lengths.iter().sum::<f64>() / lengths.len().max(1) as f64;
    drop(gw_b);
    let part = "6 contest";
    Ok(vec![
        row(
            part,
            &format!("(c) {} WS viewers of the board on two gateways", size.viewers),
            format!("{connected} connected"),
            format!("{} failed", failed.load(Ordering::Relaxed)),
            "-".into(),
            &format!(
                "connected + board ({} KiB each) in {connect_secs:.1} s, 64 handshakes at a time; loopback; gateway RSS {} → {} and {} → {} MiB",
                board_bytes.load(Ordering::Relaxed) / 1024,
                rss_before.0 / 1024,
                rss_after.0 / 1024,
                rss_before.1 / 1024,
                rss_after.1 / 1024
            ),
        ),
        row(
            part,
            &format!(
                "(c) verdict appended → `rows` at each viewer, p50 / p99 ({} verdicts, 250 ms apart)",
                sent.len()
            ),
            format!(
                "{:.1} / {:.1} ms",
                median(&latencies),
                percentile(&latencies, 99.0)
            ),
            format!("{} received, {missing} missing", latencies.len()),
            "-".into(),
            &format!(
                "XADD of the judgement sent → its token's message read ({:.1} KiB a message, mean); viewers, both gateways and Redis share the 2 cores",
                mean_len / 1024.0
            ),
        ),
    ])
}

/// The `token` of a message, read without parsing the whole message.
fn token_of(text: &str) -> Option<String> {
    let at = text.find("\"token\":\"")? + 9;
    let end = text[at..].find('"')?;
    Some(text[at..at + end].to_string())
}
