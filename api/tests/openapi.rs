//! Every route of the router is in `GET /api/openapi.json` with its methods.
//! axum cannot list a router's routes, so they are read from the sources
//! that define them: startup.rs and the routers it merges.

/// The files whose `.route(...)` calls make the router: startup.rs, and
/// contests/mod.rs (`contests::router()`, merged into it).
const ROUTER_SOURCES: &[(&str, &str)] = &[
    ("startup.rs", include_str!("../src/startup.rs")),
    ("contests/mod.rs", include_str!("../src/contests/mod.rs")),
];

/// The routers merged into startup.rs's, each read from a file of [`ROUTER_SOURCES`].
const MERGED: &[&str] = &["crate::contests::router("];

/// The Contest API's collections are one route with a `{kind}` segment,
/// and one documented path per kind.
const COLLECTION_SEGMENT: &str = "/api/ccs/contests/{id}/{kind}";

/// `(method, path)` of every route of the router, with `{kind}` expanded.
fn router_routes() -> Vec<(String, String)> {
    let mut routes = Vec::new();
    for (file, source) in ROUTER_SOURCES {
        let found = source_routes(source);
        assert!(!found.is_empty(), "no routes parsed in {file}");
        for (method, path) in found {
            match path.strip_prefix(COLLECTION_SEGMENT) {
                Some(rest) => {
                    for kind in api::contests::ccs::COLLECTIONS {
                        routes.push((
                            method.clone(),
                            format!("/api/ccs/contests/{{id}}/{kind}{rest}"),
                        ));
                    }
                }
                None => routes.push((method, path)),
            }
        }
    }
    // Every router merged or nested into the main one was read above.
    for (file, source) in ROUTER_SOURCES {
        for call in [".merge(", ".nest(", ".nest_service(", ".route_service("] {
            for chunk in source.split(call).skip(1) {
                let arg = chunk.split(')').next().unwrap_or_default();
                assert!(
                    MERGED.iter().any(|m| arg.contains(m)),
                    "{file}: {call}{arg}) adds routes this test does not read: add its file to ROUTER_SOURCES and MERGED"
                );
            }
        }
    }
    routes
}

/// `(method, path)` of every `.route("PATH", METHOD(handler).METHOD(...))`
/// in `source`, except the not-found catch-alls.
fn source_routes(source: &str) -> Vec<(String, String)> {
    let mut routes = Vec::new();
    for chunk in source.split(".route(").skip(1) {
        let chunk = chunk.trim_start();
        let Some(rest) = chunk.strip_prefix('"') else {
            continue;
        };
        let (path, rest) = rest.split_once('"').unwrap();
        // The arguments end at the matching `)`.
        let mut depth = 1;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let args = &rest[..end];
        if args.contains("not_found") {
            continue;
        }
        for method in ["get", "post", "put", "delete", "patch"] {
            let bare = format!("{method}(");
            let chained = format!(".{method}(");
            let starts = args
                .trim_start_matches(|c: char| c == ',' || c.is_whitespace())
                .starts_with(&bare);
            if starts || args.contains(&chained) {
                routes.push((method.to_string(), path.to_string()));
            }
        }
    }
    routes
}

#[test]
fn every_route_is_documented() {
    let routes = router_routes();
    assert!(routes.len() >= 15, "parsed too few routes: {routes:?}");
    assert!(routes.contains(&("put".into(), "/api/admin/problems/{id}".into())));
    assert!(routes.contains(&("patch".into(), "/api/admin/contests/{id}".into())));
    assert!(routes.contains(&("get".into(), "/api/ccs/contests/{id}/teams/{item}".into())));
    let doc = api::openapi::document();
    assert_eq!(doc["openapi"].as_str().unwrap().chars().next(), Some('3'));
    for (method, path) in &routes {
        assert!(
            doc["paths"][path][method].is_object(),
            "{} {path} is routed but not in the OpenAPI document",
            method.to_uppercase()
        );
    }
    // And nothing documented that is not routed.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            assert!(
                routes.contains(&(method.clone(), path.clone())),
                "{method} {path} is documented but not routed"
            );
        }
    }
}
