use crate::problem::load::Problem;
use crate::problem::pack::{pack, unpack};
use crate::timelimit::{timelimit_file, with_timelimit};

#[test]
fn a_packed_package_gets_its_timelimit_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("prob");
    for (path, text) in [
        ("problem.yaml", "name: x\n"),
        (".timelimit", "9\n"),
        ("data/secret/1.in", "1\n"),
        ("data/secret/1.ans", "1\n"),
    ] {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let (tar, _) = pack(&root).unwrap();
    let file = timelimit_file(2000, "derived: x");
    let a = with_timelimit(&tar, &file).unwrap();
    assert_eq!(a, with_timelimit(&tar, &file).unwrap());
    let out = tempfile::tempdir().unwrap();
    let unpacked = out.path().join("prob");
    unpack(&a, &unpacked).unwrap();
    let p = Problem::load(&unpacked).unwrap();
    assert_eq!(p.time_limit_ms, 2000);
    assert_eq!(p.time_limit_source, ".timelimit, derived: x");
    assert_eq!(p.tests.len(), 1);
}
