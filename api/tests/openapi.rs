//! Every route of the router is in `GET /api/openapi.json` with its methods.

/// `(method, path)` of every `.route("PATH", METHOD(handler).METHOD(...))` in startup.rs,
/// except the not-found catch-alls.
fn router_routes() -> Vec<(String, String)> {
    let source = include_str!("../src/startup.rs");
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
