//! `judge-runner serve`: the in-container half of the judge. See
//! `judge_protocol` for the wire protocol.

mod cgroup;
mod classify;
mod cleanup;
mod exec;
mod fifo;
mod fstree;
mod input_cache;
mod interactive;
mod memory;
mod mounts;
mod protocol_io;
mod reset;
mod serve;
mod upload;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("serve") => {
            if let Err(e) = serve::serve() {
                eprintln!("judge-runner: {e}");
                std::process::exit(1);
            }
        }
        Some("--version") | Some("version") => {
            println!("judge-runner {}", env!("CARGO_PKG_VERSION"))
        }
        _ => {
            eprintln!("usage: judge-runner serve");
            std::process::exit(2);
        }
    }
}
