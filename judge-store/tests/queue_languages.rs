//! The fair queue routed by language, on a private Redis, with the test
//! playing workers of different language sets (`queue::take`,
//! `queue::claim`):
//! - a random mix of users, languages, tiers and cancels, served by workers
//!   of overlapping language sets, is taken exactly as a plain model of the
//!   promises says (tier priority, the ring of turns, each user's order
//!   among the jobs a worker can take), and never by a worker without the
//!   job's language;
//! - a job put back after an engine failure goes first, to a worker of its
//!   language only;
//! - crash takeover claims only jobs of the claiming worker's languages,
//!   pages past the others, and drops entries deleted from the stream;
//! - jobs left in the layout of earlier versions move into their lanes.

use std::collections::{HashMap, HashSet};

use judge_store::queue::{self, Taken, Tier};
use judge_store::{keys, store};
use redis::aio::MultiplexedConnection;
use redis::AsyncCommands;
use testkit::redis_server::RedisServer;
use testkit::state;

type Conn = MultiplexedConnection;

async fn redis() -> (RedisServer, Conn) {
    let server = RedisServer::start();
    let mut conn = store::dedicated(&server.url()).await.unwrap();
    store::ensure_group(&mut conn).await.unwrap();
    (server, conn)
}

fn langs(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// Enqueues a job as the store does (the prelude's `enqueue_job`), with no
/// submission behind it: the queue needs none.
async fn enqueue(conn: &mut Conn, tier: Tier, user: &str, id: &str, lang: &str) {
    let script = redis::Script::new(&queue::with_enqueue(
        "enqueue_job(ARGV[1], ARGV[2], ARGV[3], ARGV[4])",
    ));
    let _: () = script
        .arg(tier.as_str())
        .arg(user)
        .arg(id)
        .arg(lang)
        .invoke_async(conn)
        .await
        .unwrap();
}

/// Cancels a waiting job as `judge_store::cancel` does (`remove_job`).
async fn remove(conn: &mut Conn, user: &str, id: &str) -> bool {
    let script = redis::Script::new(&queue::with_enqueue(
        "if remove_job(ARGV[1], ARGV[2]) then return 1 end return 0",
    ));
    let removed: i32 = script.arg(user).arg(id).invoke_async(conn).await.unwrap();
    removed == 1
}

async fn put_back(conn: &mut Conn, id: &str, lang: &str) {
    let script = redis::Script::new(&queue::with_enqueue("put_back_job(ARGV[1], ARGV[2])"));
    let _: () = script.arg(id).arg(lang).invoke_async(conn).await.unwrap();
}

fn submission_id(taken: &Taken) -> String {
    let job: submission::Job = serde_json::from_str(taken.job.as_deref().unwrap()).unwrap();
    job.submission_id
}

/// Takes one job as `worker` (serving `languages`) and acknowledges it;
/// returns its submission id and the stream entry's `lang`.
async fn take(conn: &mut Conn, worker: &str, languages: &[String]) -> Option<(String, String)> {
    let taken = queue::take(conn, worker, languages).await.unwrap()?;
    let entry: redis::streams::StreamRangeReply = conn
        .xrange(keys::JOB_STREAM, &taken.entry_id, &taken.entry_id)
        .await
        .unwrap();
    let lang: String = entry.ids[0].get("lang").unwrap();
    let id = taken.entry_id.as_str();
    redis::pipe()
        .atomic()
        .xack(keys::JOB_STREAM, keys::WORKER_GROUP, &[id])
        .xdel(keys::JOB_STREAM, &[id])
        .query_async::<()>(conn)
        .await
        .unwrap();
    Some((submission_id(&taken), lang))
}

/// The promises, played plainly: per tier a ring of users in turn order,
/// each with their jobs in order; a worker serves, in the first tier where
/// it can, the first user of the ring with a job in its languages (`*`
/// always), their first such job, and that user moves to the back.
#[derive(Default)]
struct Model {
    tiers: [Vec<Turn>; 2],
}

/// A user of the ring and their jobs (id, language), in order.
type Turn = (String, Vec<(String, String)>);

impl Model {
    fn enqueue(&mut self, tier: usize, user: &str, id: &str, lang: &str) {
        let ring = &mut self.tiers[tier];
        match ring.iter_mut().find(|(u, _)| u == user) {
            Some((_, jobs)) => jobs.push((id.into(), lang.into())),
            None => ring.push((user.into(), vec![(id.into(), lang.into())])),
        }
    }

    fn remove(&mut self, user: &str, id: &str) -> bool {
        for ring in &mut self.tiers {
            if let Some(k) = ring.iter().position(|(u, _)| u == user) {
                if let Some(j) = ring[k].1.iter().position(|(i, _)| i == id) {
                    ring[k].1.remove(j);
                    if ring[k].1.is_empty() {
                        ring.remove(k);
                    }
                    return true;
                }
            }
        }
        false
    }

    fn take(&mut self, serves: &HashSet<&str>) -> Option<(String, String)> {
        for ring in &mut self.tiers {
            let found = ring.iter().enumerate().find_map(|(k, (_, jobs))| {
                let j = jobs
                    .iter()
                    .position(|(_, l)| l == "*" || serves.contains(l.as_str()))?;
                Some((k, j))
            });
            if let Some((k, j)) = found {
                let (user, mut jobs) = ring.remove(k);
                let job = jobs.remove(j);
                if !jobs.is_empty() {
                    ring.push((user, jobs));
                }
                return Some(job);
            }
        }
        None
    }
}

/// A small deterministic generator (no dependency for one test).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[tokio::test]
async fn workers_take_only_their_languages_in_the_promised_order() {
    let (_redis, mut conn) = redis().await;
    let workers: [(&str, &[&str]); 4] = [
        ("py", &["python3"]),
        ("ml", &["ocaml"]),
        ("cpp-py", &["cpp", "python3"]),
        ("all", &["python3", "ocaml", "cpp", "java"]),
    ];
    let languages = ["python3", "ocaml", "cpp", "java", "*"];
    let users = ["ann", "bob", "cy", "dee", "verify"];
    let mut model = Model::default();
    let mut rng = Lcg(7);
    let mut waiting: Vec<(String, String)> = Vec::new();
    let (mut taken, mut removed, mut next) = (0, 0, 0);
    for step in 0..1500 {
        let roll = rng.below(10);
        if roll < 5 || waiting.is_empty() {
            let user = users[rng.below(users.len())];
            let lang = languages[rng.below(languages.len())];
            let tier = usize::from(rng.below(4) == 0);
            let id = format!("s{next}");
            next += 1;
            enqueue(&mut conn, Tier::ALL[tier], user, &id, lang).await;
            model.enqueue(tier, user, &id, lang);
            waiting.push((user.into(), id));
        } else if roll == 9 {
            let (user, id) = waiting.swap_remove(rng.below(waiting.len()));
            let expected = model.remove(&user, &id);
            assert_eq!(remove(&mut conn, &user, &id).await, expected, "step {step}");
            removed += usize::from(expected);
        } else {
            let (worker, serves) = workers[rng.below(workers.len())];
            let serves_set: HashSet<&str> = serves.iter().copied().collect();
            let got = take(&mut conn, worker, &langs(serves)).await;
            let expected = model.take(&serves_set);
            assert_eq!(got, expected, "step {step}: {worker} took");
            if let Some((id, lang)) = got {
                assert!(lang == "*" || serves_set.contains(lang.as_str()));
                waiting.retain(|(_, w)| *w != id);
                taken += 1;
            }
        }
    }
    // Drain with a worker of every language: the rest, in order, and
    // nothing left behind in any key of the queue.
    let every: HashSet<&str> = languages.iter().copied().collect();
    while let Some(got) = take(&mut conn, "all", &langs(&languages)).await {
        assert_eq!(Some(got), model.take(&every));
        taken += 1;
    }
    assert_eq!(model.take(&every), None);
    println!("{taken} taken, {removed} cancelled, {next} enqueued");
    assert_eq!(taken + removed, next);
    let (counts, _) = queue::waiting(&mut conn).await.unwrap();
    assert_eq!((counts.live, counts.rejudge, counts.requeued), (0, 0, 0));
    let left: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{}*", keys::QUEUE_PREFIX))
        .query_async(&mut conn)
        .await
        .unwrap();
    let mut left: Vec<&str> = left
        .iter()
        .map(String::as_str)
        .filter(|k| !k.starts_with(&keys::queue_wake("")))
        .collect();
    left.sort();
    assert_eq!(left, [keys::QUEUE_COUNTS, keys::QUEUE_SEQ]);
}

#[tokio::test]
async fn a_worker_passes_over_jobs_it_cannot_judge_and_they_keep_their_place() {
    let (_redis, mut conn) = redis().await;
    // ann: ocaml, python3, python3; bob: ocaml; cy: python3.
    enqueue(&mut conn, Tier::Live, "ann", "a0", "ocaml").await;
    enqueue(&mut conn, Tier::Live, "ann", "a1", "python3").await;
    enqueue(&mut conn, Tier::Live, "bob", "b0", "ocaml").await;
    enqueue(&mut conn, Tier::Live, "ann", "a2", "python3").await;
    enqueue(&mut conn, Tier::Live, "cy", "c0", "python3").await;
    // A rejudge in python3 waits behind every live python3 job only.
    enqueue(&mut conn, Tier::Rejudge, "dee", "r0", "python3").await;
    let py = langs(&["python3"]);
    let ml = langs(&["ocaml"]);
    let id = |t: Option<(String, String)>| t.map(|(id, _)| id);
    // ann's first python job (her ocaml one is not this worker's), then
    // cy (ann went to the back), then ann's second, then the rejudge.
    assert_eq!(id(take(&mut conn, "py", &py).await).as_deref(), Some("a1"));
    assert_eq!(id(take(&mut conn, "py", &py).await).as_deref(), Some("c0"));
    // The ocaml worker: bob is ahead of ann now (ann was served).
    assert_eq!(id(take(&mut conn, "ml", &ml).await).as_deref(), Some("b0"));
    assert_eq!(id(take(&mut conn, "py", &py).await).as_deref(), Some("a2"));
    assert_eq!(id(take(&mut conn, "py", &py).await).as_deref(), Some("r0"));
    assert_eq!(take(&mut conn, "py", &py).await, None);
    // The job nobody here could take is still there, for its worker.
    assert_eq!(id(take(&mut conn, "ml", &ml).await).as_deref(), Some("a0"));
    assert_eq!(take(&mut conn, "ml", &ml).await, None);
}

#[tokio::test]
async fn a_job_of_the_judge_s_own_goes_to_any_worker() {
    let (_redis, mut conn) = redis().await;
    // An import's validator check has no submission language: any worker
    // takes it, whatever languages it serves, and so after a put-back.
    let check = problem_package::problem::VALIDATOR_CHECK_LANGUAGE;
    enqueue(&mut conn, Tier::Live, "admin-import", "v0", check).await;
    let taken = take(&mut conn, "py", &langs(&["python3"])).await;
    assert_eq!(taken.map(|(id, _)| id).as_deref(), Some("v0"));
    put_back(&mut conn, "v1", check).await;
    let taken = take(&mut conn, "ml", &langs(&["ocaml"])).await;
    assert_eq!(taken.map(|(id, _)| id).as_deref(), Some("v1"));
}

#[tokio::test]
async fn a_put_back_job_goes_first_to_a_worker_of_its_language() {
    let (_redis, mut conn) = redis().await;
    // Real submissions, for the positions.
    for (id, user) in [("a0", "ann"), ("b0", "bob")] {
        let record = state::record(id, user, ("p", "v1"), "python3", "x");
        state::create_queued(&mut conn, &record, 1).await;
    }
    put_back(&mut conn, "x0", "ocaml").await;
    put_back(&mut conn, "x1", "python3").await;
    let (counts, _) = queue::waiting(&mut conn).await.unwrap();
    assert_eq!((counts.requeued, counts.live), (2, 2));
    assert_eq!(store::queued_jobs(&mut conn).await.unwrap(), 4);
    let positions = queue::positions(&mut conn, &[("ann", "a0"), ("bob", "b0")])
        .await
        .unwrap();
    assert_eq!(positions, [Some(2), Some(3)], "behind both put-back jobs");
    let taken = queue::take(&mut conn, "py", &langs(&["python3"]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (submission_id(&taken).as_str(), taken.source.as_str()),
        ("x1", "requeued")
    );
    let next = take(&mut conn, "py", &langs(&["python3"])).await.unwrap();
    assert_eq!(next.0, "a0", "the ocaml one is not this worker's");
    // The submission records who took it; no hash is made for a job
    // without one.
    let worker: Option<String> = conn
        .hget(keys::submission("a0"), keys::FIELD_WORKER)
        .await
        .unwrap();
    assert_eq!(worker.as_deref(), Some("py"));
    let made: bool = conn.exists(keys::submission("x1")).await.unwrap();
    assert!(!made);
    let taken = take(&mut conn, "ml", &langs(&["ocaml"])).await.unwrap();
    assert_eq!(taken, ("x0".to_string(), "ocaml".to_string()));
    let (counts, _) = queue::waiting(&mut conn).await.unwrap();
    assert_eq!((counts.requeued, counts.live), (0, 1));
}

#[tokio::test]
async fn crash_takeover_goes_only_to_a_worker_of_the_language() {
    let (_redis, mut conn) = redis().await;
    // 150 ocaml jobs (more than one claim round scans) and one python3
    // job, all taken by workers that then died.
    for i in 0..150 {
        enqueue(
            &mut conn,
            Tier::Live,
            &format!("u{i}"),
            &format!("m{i}"),
            "ocaml",
        )
        .await;
    }
    enqueue(&mut conn, Tier::Live, "zed", "p0", "python3").await;
    let dead_ml = langs(&["ocaml"]);
    for _ in 0..150 {
        queue::take(&mut conn, "dead-ml", &dead_ml)
            .await
            .unwrap()
            .unwrap();
    }
    let p0 = queue::take(&mut conn, "dead-py", &langs(&["python3"]))
        .await
        .unwrap()
        .unwrap();

    // A cpp worker finds nothing it may claim, however many rounds.
    let cpp = langs(&["cpp"]);
    let mut cursor = "0-0".to_string();
    for round in 0..3 {
        let claimed = queue::claim(&mut conn, "cpp", 0, &cursor, 10, &cpp)
            .await
            .unwrap();
        assert!(claimed.taken.is_empty(), "round {round}: {claimed:?}");
        cursor = claimed.cursor;
    }
    // A python3 worker gets the python3 job, in its second round (the first
    // scans 100 ocaml entries and says where to go on).
    let py = langs(&["python3"]);
    let first = queue::claim(&mut conn, "py", 0, "0-0", 10, &py)
        .await
        .unwrap();
    assert!(first.taken.is_empty());
    assert_ne!(first.cursor, "0-0");
    let second = queue::claim(&mut conn, "py", 0, &first.cursor, 10, &py)
        .await
        .unwrap();
    assert_eq!(second.taken.len(), 1, "{second:?}");
    assert_eq!(second.taken[0].entry_id, p0.entry_id);
    assert_eq!(second.taken[0].source, "claimed");
    assert_eq!(submission_id(&second.taken[0]), "p0");
    assert_eq!(second.cursor, "0-0", "the end: from the start next time");
    let pending: redis::streams::StreamPendingCountReply = conn
        .xpending_consumer_count(keys::JOB_STREAM, keys::WORKER_GROUP, "-", "+", 10, "py")
        .await
        .unwrap();
    assert_eq!(pending.ids.len(), 1);
    assert_eq!(pending.ids[0].id, p0.entry_id);
    // Not idle long enough: nobody claims it.
    let early = queue::claim(&mut conn, "ml", 60_000, "0-0", 10, &dead_ml)
        .await
        .unwrap();
    assert!(early.taken.is_empty());

    // An ocaml worker claims ocaml jobs, up to its count, and a pending
    // entry deleted from the stream is dropped, not claimed.
    let mut owners: HashMap<String, usize> = HashMap::new();
    let pending: redis::streams::StreamPendingCountReply = conn
        .xpending_count(keys::JOB_STREAM, keys::WORKER_GROUP, "-", "+", 1)
        .await
        .unwrap();
    let gone = pending.ids[0].id.clone();
    let _: () = conn.xdel(keys::JOB_STREAM, &[&gone]).await.unwrap();
    let claimed = queue::claim(&mut conn, "ml", 0, "0-0", 5, &dead_ml)
        .await
        .unwrap();
    assert_eq!(claimed.deleted, [gone]);
    assert_eq!(claimed.taken.len(), 5);
    for taken in &claimed.taken {
        assert!(submission_id(taken).starts_with('m'));
    }
    let pending: redis::streams::StreamPendingReply = conn
        .xpending(keys::JOB_STREAM, keys::WORKER_GROUP)
        .await
        .unwrap();
    if let redis::streams::StreamPendingReply::Data(data) = pending {
        for consumer in data.consumers {
            owners.insert(consumer.name, consumer.pending);
        }
    }
    assert_eq!(owners.get("ml"), Some(&5));
    assert_eq!(owners.get("dead-ml"), Some(&(150 - 1 - 5)));
    assert_eq!(owners.get("py"), Some(&1));
}

#[tokio::test]
async fn jobs_of_the_earlier_layout_move_into_their_lanes() {
    let (_redis, mut conn) = redis().await;
    // As an earlier version left them: ring lists, per-user lists, counts.
    for (id, user, lang) in [
        ("a0", "ann", "ocaml"),
        ("a1", "ann", "python3"),
        ("b0", "bob", "python3"),
    ] {
        let record = state::record(id, user, ("p", "v1"), lang, "x");
        let json = serde_json::to_string(&record).unwrap();
        let _: () = conn
            .hset(keys::submission(id), keys::FIELD_RECORD, json)
            .await
            .unwrap();
        let _: () = conn
            .rpush(format!("{}live:user:{user}", keys::QUEUE_PREFIX), id)
            .await
            .unwrap();
    }
    let ring = format!("{}live:ring", keys::QUEUE_PREFIX);
    let _: () = conn.rpush(&ring, &["ann", "bob"]).await.unwrap();
    let _: () = conn.hset(keys::QUEUE_COUNTS, "live", 3).await.unwrap();

    assert_eq!(queue::adopt_legacy(&mut conn).await.unwrap(), 3);
    assert_eq!(queue::adopt_legacy(&mut conn).await.unwrap(), 0, "once");
    let (counts, _) = queue::waiting(&mut conn).await.unwrap();
    assert_eq!(counts.live, 3);
    let py = langs(&["python3"]);
    assert_eq!(take(&mut conn, "py", &py).await.unwrap().0, "a1");
    assert_eq!(take(&mut conn, "py", &py).await.unwrap().0, "b0");
    assert_eq!(take(&mut conn, "py", &py).await, None);
    let ml = langs(&["ocaml"]);
    assert_eq!(take(&mut conn, "ml", &ml).await.unwrap().0, "a0");
    let exists: bool = conn.exists(&ring).await.unwrap();
    assert!(!exists);
}
