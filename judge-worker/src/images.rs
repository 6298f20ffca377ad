//! Which languages this worker can judge: those whose sandbox image its
//! Docker engine holds, among those it serves (`JUDGE_WORKER_LANGUAGES`). The engine monitor ([`crate::engine`]) asks every
//! [`REFRESH_EVERY`] beats and puts the answer in the heartbeat, so an image
//! built while the worker runs (`scripts/build-images.sh LANG`) makes its
//! language ready within seconds, with no restart.

use std::collections::HashSet;

use bollard::Docker;

use crate::config::Config;

/// Heartbeats (seconds) between two looks at the engine's images.
pub const REFRESH_EVERY: u64 = 5;

/// The ids of the languages whose image the engine holds, in table order.
pub async fn ready_languages(
    docker: &Docker,
    config: &Config,
) -> Result<Vec<String>, bollard::errors::Error> {
    let options = bollard::query_parameters::ListImagesOptionsBuilder::default().build();
    let images = docker.list_images(Some(options)).await?;
    let tags: HashSet<&str> = images
        .iter()
        .flat_map(|i| i.repo_tags.iter().map(String::as_str))
        .collect();
    Ok(present(config, |image| tags.contains(image)))
}

/// The languages served whose image `has` says is there.
pub fn present(config: &Config, has: impl Fn(&str) -> bool) -> Vec<String> {
    problem_package::language::LANGUAGES
        .iter()
        .filter(|l| config.serves(l.id) && has(&config.image_for(l)))
        .map(|l| l.id.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_of_an_image_is_ready_with_it() {
        let config = Config::new("redis://x");
        let ready = present(&config, |image| image == "judge-lang-cpp:latest");
        assert_eq!(ready, ["cpp", "cpp23", "cpp17"]);
        // A dedicated worker: only what it serves, of what it holds.
        let mut config = Config::new("redis://x");
        config.serve_languages = Some(vec!["cpp17".into(), "java".into()]);
        let ready = present(&config, |image| image == "judge-lang-cpp:latest");
        assert_eq!(ready, ["cpp17"]);
    }
}
